import { apiKeys, desc, eq } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { requireRole } from "../../lib/roles";
import type { ApiKeySummary } from "./create-api-key";

/** The workspace's keys, newest first, with their prefix only (never the key or its hash). */
export async function listApiKeys(deps: Deps, { actor }: { actor: Actor }): Promise<ApiKeySummary[]> {
  requireRole(actor.role, "admin");
  return deps.db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      role: apiKeys.role,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.workspaceId, actor.workspaceId))
    .orderBy(desc(apiKeys.createdAt));
}
