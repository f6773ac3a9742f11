import { and, eq, gt, sessions, users } from "@weft/db";
import type { Deps, SessionUser } from "../../lib/context";
import { sha256 } from "../../lib/crypto";

/** The user of a session token, or null when the token is unknown or expired. */
export async function getSessionUser(deps: Deps, { token }: { token: string }): Promise<SessionUser | null> {
  if (!token || token.length > 200) return null;
  const [row] = await deps.db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, deps.now())));
  return row ?? null;
}
