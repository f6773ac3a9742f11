import { apiKeys } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { randomToken, sha256 } from "../../lib/crypto";
import { requireRole, requireUser } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { CreateApiKeyInput } from "./schemas";

export const API_KEY_PREFIX = "weft_";

/** The columns any API may return: never the key or its hash. */
export const apiKeyView = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  role: apiKeys.role,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

export type ApiKeySummary = {
  id: string;
  name: string;
  prefix: string;
  role: "admin" | "member" | "viewer" | "owner";
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/**
 * Issues a key for the workspace. Admins only, and owner keys are not issued, so a key never has more
 * rights than its creator. The full key is returned here once; only its SHA-256 is stored.
 */
export async function createApiKey(
  deps: Deps,
  { actor, input }: { actor: Actor; input: unknown },
): Promise<{ apiKey: ApiKeySummary; key: string }> {
  requireUser(actor);
  requireRole(actor.role, "admin");
  const { name, role } = parseInput(CreateApiKeyInput, input);
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        workspaceId: actor.workspaceId,
        name,
        role,
        prefix: key.slice(0, API_KEY_PREFIX.length + 6),
        keyHash: sha256(key),
        createdBy: actor.userId,
      })
      .returning(apiKeyView);
    if (!row) throw new Error("api key insert returned nothing");
    await audit(tx, actor, "api_key.create", { type: "api_key", id: row.id }, { name, role });
    return { apiKey: row, key };
  });
}
