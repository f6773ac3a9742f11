import { resumeExecution as resumeInEngine } from "@weft/engine";
import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { runExecutionCommand, type CommandResult } from "./execution-command";
import { ExecutionIdInput } from "./schemas";

/** Resumes a paused execution (409 unless it is paused). */
export async function resumeExecution(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<CommandResult> {
  const { executionId } = parseInput(ExecutionIdInput, input);
  return runExecutionCommand(deps, { actor, executionId, command: () => resumeInEngine(deps.executions, { executionId }) });
}
