import { decideApproval } from "@weft/engine";
import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { runExecutionCommand, type CommandResult } from "./execution-command";
import { DecideApprovalInput } from "./schemas";

/** Approves the approval block an execution waits on; the run continues with `{ approved: true }`. */
export async function approveExecution(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<CommandResult> {
  const { executionId, comment } = parseInput(DecideApprovalInput, input);
  return runExecutionCommand(deps, {
    actor,
    executionId,
    command: () => decideApproval(deps.executions, { executionId, approved: true, by: actor.userId, comment }),
  });
}
