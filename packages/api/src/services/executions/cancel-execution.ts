import { cancelExecution as cancelInEngine } from "@weft/engine";
import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { runExecutionCommand, type CommandResult } from "./execution-command";
import { ExecutionIdInput } from "./schemas";

/** Cancels a pending, running or paused execution (409 when it already ended). */
export async function cancelExecution(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<CommandResult> {
  const { executionId } = parseInput(ExecutionIdInput, input);
  return runExecutionCommand(deps, { actor, executionId, command: () => cancelInEngine(deps.executions, { executionId, by: actor.userId }) });
}
