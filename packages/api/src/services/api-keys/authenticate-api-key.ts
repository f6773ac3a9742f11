import { and, apiKeys, eq, isNull } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { sha256 } from "../../lib/crypto";
import { API_KEY_PREFIX } from "./create-api-key";

const TOUCH_EVERY_MS = 60_000;

/** The actor behind a bearer key, or null for an unknown or revoked key. */
export async function authenticateApiKey(deps: Deps, { key }: { key: string }): Promise<Actor | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  const [row] = await deps.db
    .select({ id: apiKeys.id, workspaceId: apiKeys.workspaceId, role: apiKeys.role, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, sha256(key)), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  const now = deps.now();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await deps.db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id));
  }
  return { workspaceId: row.workspaceId, role: row.role, userId: null, apiKeyId: row.id };
}
