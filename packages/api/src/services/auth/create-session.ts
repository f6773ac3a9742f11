import { sessions } from "@weft/db";
import type { Deps } from "../../lib/context";
import { randomToken, sha256 } from "../../lib/crypto";

export type NewSession = { token: string; expiresAt: Date };

/** Starts a local-auth session: the random token goes to the cookie, only its hash to the database. */
export async function createSession(deps: Deps, { userId }: { userId: string }): Promise<NewSession> {
  const token = randomToken(32);
  const expiresAt = new Date(deps.now().getTime() + deps.sessionTtlMs);
  await deps.db.insert(sessions).values({ userId, tokenHash: sha256(token), expiresAt });
  return { token, expiresAt };
}
