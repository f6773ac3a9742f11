import { clearRateLimit, eq, hitRateLimit, peekRateLimit, users } from "@weft/db";
import type { Deps, SessionUser } from "../../lib/context";
import { hashPassword, verifyPassword } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { parseInput } from "../../lib/validation";
import { createSession, type NewSession } from "./create-session";
import { SignInInput } from "./schemas";

// Compared against when the email is unknown, so both cases take the same time.
let dummyHash: Promise<string> | undefined;

/**
 * Checks email and password. Wrong email and wrong password give the same 401. After
 * `signInLimit.max` failures from one client address within the window, answers 429 with Retry-After;
 * and after twice as many on one account from any addresses (a client can forge X-Forwarded-For when
 * no proxy sits in front of Weft, so the address alone is not enough).
 */
export async function signIn(
  deps: Deps,
  { input, clientAddress }: { input: unknown; clientAddress: string },
): Promise<{ user: SessionUser; session: NewSession }> {
  const { email, password } = parseInput(SignInInput, input);
  const limits = [
    { key: `sign-in:address:${clientAddress}`, max: deps.signInLimit.max },
    { key: `sign-in:account:${email}`, max: deps.signInLimit.max * 2 },
  ];
  const now = deps.now();
  for (const { key, max } of limits) {
    const window = await peekRateLimit(deps.db, key, now);
    if (window && window.count >= max) {
      const retryAfter = Math.max(1, Math.ceil((window.resetAt.getTime() - now.getTime()) / 1000));
      throw new AppError("TOO_MANY_REQUESTS", "Too many failed sign-ins. Try again later.", { retryAfter });
    }
  }
  const [row] = await deps.db
    .select({ id: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, email));
  dummyHash ??= hashPassword("not a real password");
  const ok = await verifyPassword(password, row?.passwordHash ?? (await dummyHash));
  if (!row?.passwordHash || !ok) {
    for (const { key } of limits) await hitRateLimit(deps.db, key, deps.signInLimit.windowMs, now);
    throw new AppError("UNAUTHORIZED", "Wrong email or password");
  }
  for (const { key } of limits) await clearRateLimit(deps.db, key);
  const user = { id: row.id, email: row.email, name: row.name };
  return { user, session: await createSession(deps, { userId: user.id }) };
}
