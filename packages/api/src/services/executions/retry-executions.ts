import { isTerminal } from "@weft/engine";
import type { Actor, Deps } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { findExecutions, type BulkOutcome } from "./find-executions";
import { retryExecution } from "./retry-execution";
import { ExecutionIdsInput } from "./schemas";

/**
 * Retries several ended executions, each as a new run (see retryExecution; members and up; 404 when
 * any id is not this workspace's, nothing started). One that has not ended, or whose flow is gone, is
 * reported in its outcome and the others still run.
 */
export async function retryExecutions(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ results: BulkOutcome[] }> {
  requireRole(actor.role, "member");
  const { executionIds } = parseInput(ExecutionIdsInput, input);
  const executions = await findExecutions(deps, { workspaceId: actor.workspaceId, executionIds });
  const results: BulkOutcome[] = [];
  for (const execution of executions) {
    if (!isTerminal(execution.status)) {
      results.push({ executionId: execution.id, ok: false, status: execution.status, error: `Still ${execution.status}: only ended runs are retried` });
      continue;
    }
    try {
      const run = await retryExecution(deps, { actor, input: { executionId: execution.id }, triggerType: "manual" });
      results.push({ executionId: execution.id, ok: true, status: execution.status, retryExecutionId: run.executionId });
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      results.push({ executionId: execution.id, ok: false, status: execution.status, error: error.message });
    }
  }
  return { results };
}
