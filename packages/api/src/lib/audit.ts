import { auditLog, type DbOrTx } from "@weft/db";
import type { Actor } from "./context";

/** Appends to the workspace's audit log (who did what to which object). */
export async function audit(
  db: DbOrTx,
  actor: Actor,
  action: string,
  target: { type: string; id: string },
  data?: Record<string, unknown>,
): Promise<void> {
  await db.insert(auditLog).values({
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    actorApiKeyId: actor.apiKeyId ?? null,
    action,
    targetType: target.type,
    targetId: target.id,
    data: data ?? null,
  });
}
