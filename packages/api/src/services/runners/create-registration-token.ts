import { runnerRegistrationTokens } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { randomToken, sha256 } from "../../lib/crypto";
import { requireRole, requireUser } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { REGISTRATION_TOKEN_PREFIX } from "./runner-settings";
import { CreateRegistrationTokenInput } from "./schemas";

/**
 * A one-time token a runner exchanges for its credential (`weft-runner --token`). Admins only; the
 * token is returned this once and stored as its SHA-256.
 */
export async function createRegistrationToken(deps: Deps, { actor, input }: { actor: Actor; input: unknown }) {
  requireUser(actor);
  requireRole(actor.role, "admin");
  const { labels, expiresInMinutes } = parseInput(CreateRegistrationTokenInput, input);
  const token = `${REGISTRATION_TOKEN_PREFIX}${randomToken(32)}`;
  const expiresAt = new Date(deps.now().getTime() + expiresInMinutes * 60_000);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(runnerRegistrationTokens)
      .values({
        workspaceId: actor.workspaceId,
        tokenHash: sha256(token),
        prefix: token.slice(0, REGISTRATION_TOKEN_PREFIX.length + 6),
        labels: [...new Set(labels)],
        expiresAt,
        createdBy: actor.userId,
      })
      .returning({ id: runnerRegistrationTokens.id, prefix: runnerRegistrationTokens.prefix, labels: runnerRegistrationTokens.labels, expiresAt: runnerRegistrationTokens.expiresAt });
    if (!row) throw new Error("registration token insert returned nothing");
    await audit(tx, actor, "runner_token.create", { type: "runner_registration_token", id: row.id }, { labels: row.labels });
    return { ...row, token };
  });
}
