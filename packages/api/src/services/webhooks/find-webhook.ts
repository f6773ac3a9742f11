import { and, eq, webhooks, type DbOrTx, type Webhook } from "@weft/db";

/** The webhook of a flow in this workspace, or null when it has none. */
export async function findWebhook(db: DbOrTx, { workspaceId, flowId }: { workspaceId: string; flowId: string }): Promise<Webhook | null> {
  const [row] = await db.select().from(webhooks).where(and(eq(webhooks.flowId, flowId), eq(webhooks.workspaceId, workspaceId)));
  return row ?? null;
}
