import { and, apiKeys, eq, isNull, workspaceMembers } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { sha256 } from "../../lib/crypto";
import { roleAtLeast } from "../../lib/roles";
import { API_KEY_PREFIX } from "./create-api-key";

const TOUCH_EVERY_MS = 60_000;

/**
 * The actor behind a bearer key, or null for an unknown or revoked key. A key acts with the lower of
 * its own role and its creator's current role in the workspace, and stops working once its creator
 * is no longer a member (removed, left, or deleted).
 */
export async function authenticateApiKey(deps: Deps, { key }: { key: string }): Promise<Actor | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  const [row] = await deps.db
    .select({
      id: apiKeys.id,
      workspaceId: apiKeys.workspaceId,
      role: apiKeys.role,
      creatorRole: workspaceMembers.role,
      lastUsedAt: apiKeys.lastUsedAt,
    })
    .from(apiKeys)
    .innerJoin(workspaceMembers, and(eq(workspaceMembers.workspaceId, apiKeys.workspaceId), eq(workspaceMembers.userId, apiKeys.createdBy)))
    .where(and(eq(apiKeys.keyHash, sha256(key)), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  const now = deps.now();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await deps.db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id));
  }
  const role = roleAtLeast(row.creatorRole, row.role) ? row.role : row.creatorRole;
  return { workspaceId: row.workspaceId, role, userId: null, apiKeyId: row.id };
}
