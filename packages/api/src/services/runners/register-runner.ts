import { and, eq, gt, isNull, runnerRegistrationTokens, runners } from "@weft/db";
import type { Deps } from "../../lib/context";
import { randomToken, sha256 } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { parseInput } from "../../lib/validation";
import { RUNNER_CREDENTIAL_PREFIX } from "./runner-settings";
import { RegisterRunnerInput } from "./schemas";

/**
 * Exchanges a registration token (once, before it expires) for a runner and its long-lived credential.
 * The credential is returned this once and stored as its SHA-256. Unknown, used and expired tokens
 * answer the same 401.
 */
export async function registerRunner(deps: Deps, { input }: { input: unknown }) {
  const { token, name, labels, version, hostname } = parseInput(RegisterRunnerInput, input);
  const credential = `${RUNNER_CREDENTIAL_PREFIX}${randomToken(32)}`;
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const [used] = await tx
      .update(runnerRegistrationTokens)
      .set({ usedAt: now })
      .where(and(eq(runnerRegistrationTokens.tokenHash, sha256(token)), isNull(runnerRegistrationTokens.usedAt), gt(runnerRegistrationTokens.expiresAt, now)))
      .returning();
    if (!used) throw new AppError("UNAUTHORIZED", "Unknown, used or expired registration token: create a new one in Settings → Runners");
    const [runner] = await tx
      .insert(runners)
      .values({
        workspaceId: used.workspaceId,
        name,
        labels: [...new Set([...used.labels, ...labels])].sort(),
        credentialHash: sha256(credential),
        prefix: credential.slice(0, RUNNER_CREDENTIAL_PREFIX.length + 6),
        version: version ?? null,
        hostname: hostname ?? null,
        lastSeenAt: now,
        createdBy: used.createdBy,
      })
      .returning({ id: runners.id, workspaceId: runners.workspaceId, name: runners.name, labels: runners.labels });
    if (!runner) throw new Error("runner insert returned nothing");
    await tx.update(runnerRegistrationTokens).set({ runnerId: runner.id }).where(eq(runnerRegistrationTokens.id, used.id));
    return { runner, credential };
  });
}
