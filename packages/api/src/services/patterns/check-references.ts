import { and, decisions, eq, flows, inArray, isNull, type DbOrTx } from "@weft/db";
import { notFound } from "../../lib/errors";

/** A pattern's flow and example decisions must be the workspace's own (else 404, like any other id). */
export async function checkPatternReferences(
  db: DbOrTx,
  workspaceId: string,
  refs: { flowId?: string | null; exampleDecisionIds?: string[] },
): Promise<void> {
  if (refs.flowId) {
    const [flow] = await db
      .select({ id: flows.id })
      .from(flows)
      .where(and(eq(flows.id, refs.flowId), eq(flows.workspaceId, workspaceId), isNull(flows.deletedAt)));
    if (!flow) throw notFound("Flow");
  }
  const ids = [...new Set(refs.exampleDecisionIds ?? [])];
  if (ids.length > 0) {
    const found = await db
      .select({ id: decisions.id })
      .from(decisions)
      .where(and(eq(decisions.workspaceId, workspaceId), inArray(decisions.id, ids)));
    if (found.length !== ids.length) throw notFound("Decision");
  }
}
