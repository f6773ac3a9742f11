import { pauseExecution as pauseInEngine } from "@weft/engine";
import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { runExecutionCommand, type CommandResult } from "./execution-command";
import { ExecutionIdInput } from "./schemas";

/** Asks the worker running an execution to pause it (409 unless it is running). */
export async function pauseExecution(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<CommandResult> {
  const { executionId } = parseInput(ExecutionIdInput, input);
  return runExecutionCommand(deps, { actor, executionId, command: () => pauseInEngine(deps.executions, { executionId, by: actor.userId }) });
}
