import { and, eq, flows, isNull, type DbOrTx } from "@weft/db";
import { notFound } from "../../lib/errors";

/** The live (not deleted) flow `flowId` of `workspaceId`; optionally locked for the transaction. */
export async function findFlow(db: DbOrTx, { workspaceId, flowId, lock = false }: { workspaceId: string; flowId: string; lock?: boolean }) {
  const query = db.select().from(flows).where(liveFlow({ workspaceId, flowId }));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw notFound("Flow");
  return row;
}

/** Every flow query goes through this filter: the workspace, the id, not soft-deleted. */
export const liveFlow = ({ workspaceId, flowId }: { workspaceId: string; flowId: string }) =>
  and(eq(flows.id, flowId), eq(flows.workspaceId, workspaceId), isNull(flows.deletedAt));
