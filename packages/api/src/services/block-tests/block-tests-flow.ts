import { and, eq, flows, sql, type DbOrTx } from "@weft/db";

/**
 * The workspace's hidden flow that test runs of saved and unsaved blocks belong to (an execution
 * always has a flow). Created once, already deleted, so nothing that lists or opens flows shows it;
 * the unique index on (workspace_id) where kind = 'block_tests' keeps it one.
 */
export async function blockTestsFlowId(tx: DbOrTx, { workspaceId, now }: { workspaceId: string; now: Date }): Promise<string> {
  const find = async () => {
    const [row] = await tx.select({ id: flows.id }).from(flows).where(and(eq(flows.workspaceId, workspaceId), eq(flows.kind, "block_tests")));
    return row?.id;
  };
  const found = await find();
  if (found) return found;
  await tx
    .insert(flows)
    .values({ workspaceId, name: "Block tests", description: "Test runs of library blocks", kind: "block_tests", createdAt: now, updatedAt: now, deletedAt: now })
    .onConflictDoNothing({ target: flows.workspaceId, where: sql`kind = 'block_tests'` });
  const created = await find();
  if (!created) throw new Error("the block tests flow was not created");
  return created;
}
