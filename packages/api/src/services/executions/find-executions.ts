import { and, eq, flowExecutions, inArray, type FlowExecution } from "@weft/db";
import type { Deps } from "../../lib/context";
import { AppError } from "../../lib/errors";

/**
 * Executions of this workspace, in the order asked; a 404 naming the first id that is not one of them
 * (another workspace's id included), before anything is changed.
 */
export async function findExecutions(deps: Deps, { workspaceId, executionIds }: { workspaceId: string; executionIds: string[] }): Promise<FlowExecution[]> {
  const rows = await deps.db
    .select()
    .from(flowExecutions)
    .where(and(eq(flowExecutions.workspaceId, workspaceId), inArray(flowExecutions.id, executionIds)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = executionIds.findIndex((id) => !byId.has(id));
  if (missing >= 0) throw new AppError("NOT_FOUND", "Execution not found", { path: `executionIds.${missing}` });
  return executionIds.map((id) => byId.get(id)!);
}

/** What a bulk action did to one execution. */
export type BulkOutcome = { executionId: string; ok: boolean; status: string; error?: string; retryExecutionId?: string };
