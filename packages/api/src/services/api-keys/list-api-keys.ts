import { apiKeys, desc, eq } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { requireRole } from "../../lib/roles";
import { apiKeyView, type ApiKeySummary } from "./create-api-key";

/** The workspace's keys, newest first, with their prefix only (never the key or its hash). */
export async function listApiKeys(deps: Deps, { actor }: { actor: Actor }): Promise<ApiKeySummary[]> {
  requireRole(actor.role, "admin");
  return deps.db
    .select(apiKeyView)
    .from(apiKeys)
    .where(eq(apiKeys.workspaceId, actor.workspaceId))
    .orderBy(desc(apiKeys.createdAt));
}
