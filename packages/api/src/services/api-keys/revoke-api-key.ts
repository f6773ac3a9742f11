import { and, apiKeys, eq, isNull } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { requireRole, requireUser } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { RevokeApiKeyInput } from "./schemas";

/** Revokes a key: it stops authenticating at once. Revoking twice is harmless. */
export async function revokeApiKey(deps: Deps, { actor, input }: { actor: Actor; input: unknown }) {
  requireUser(actor);
  requireRole(actor.role, "admin");
  const { apiKeyId } = parseInput(RevokeApiKeyInput, input);
  return deps.db.transaction(async (tx) => {
    const [key] = await tx
      .select({ id: apiKeys.id, revokedAt: apiKeys.revokedAt })
      .from(apiKeys)
      .where(and(eq(apiKeys.id, apiKeyId), eq(apiKeys.workspaceId, actor.workspaceId)));
    if (!key) throw notFound("API key");
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: deps.now() })
      .where(and(eq(apiKeys.id, apiKeyId), eq(apiKeys.workspaceId, actor.workspaceId), isNull(apiKeys.revokedAt)))
      .returning({ revokedAt: apiKeys.revokedAt });
    if (row) await audit(tx, actor, "api_key.revoke", { type: "api_key", id: apiKeyId });
    return { id: apiKeyId, revokedAt: row?.revokedAt ?? key.revokedAt };
  });
}
