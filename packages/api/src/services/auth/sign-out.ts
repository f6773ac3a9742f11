import { eq, sessions } from "@weft/db";
import type { Deps } from "../../lib/context";
import { sha256 } from "../../lib/crypto";

/** Ends a local-auth session; the token stops working at once. */
export async function signOut(deps: Deps, { token }: { token: string }): Promise<void> {
  await deps.db.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
}
