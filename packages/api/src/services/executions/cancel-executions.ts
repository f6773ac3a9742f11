import { cancelExecution as cancelInEngine, isTerminal, TransitionRefusedError } from "@weft/engine";
import type { Actor, Deps } from "../../lib/context";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { findExecutions, type BulkOutcome } from "./find-executions";
import { ExecutionIdsInput } from "./schemas";

/**
 * Cancels several executions (members and up; 404 when any id is not this workspace's, nothing
 * changed). Each one that has not ended is cancelled; one that already ended is reported, not an error.
 */
export async function cancelExecutions(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ results: BulkOutcome[] }> {
  requireRole(actor.role, "member");
  const { executionIds } = parseInput(ExecutionIdsInput, input);
  const executions = await findExecutions(deps, { workspaceId: actor.workspaceId, executionIds });
  const results: BulkOutcome[] = [];
  for (const execution of executions) {
    if (isTerminal(execution.status)) {
      results.push({ executionId: execution.id, ok: false, status: execution.status, error: `Already ${execution.status}` });
      continue;
    }
    try {
      await cancelInEngine(deps.executions, { executionId: execution.id, by: actor.userId });
      results.push({ executionId: execution.id, ok: true, status: "cancelled" });
    } catch (error) {
      if (!(error instanceof TransitionRefusedError)) throw error;
      results.push({ executionId: execution.id, ok: false, status: execution.status, error: error.message });
    }
  }
  return { results };
}
