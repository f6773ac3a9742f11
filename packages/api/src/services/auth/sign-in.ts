import { clearRateLimit, eq, users } from "@weft/db";
import type { Deps, SessionUser } from "../../lib/context";
import { hashPassword, verifyPassword } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { parseInput } from "../../lib/validation";
import { createSession, type NewSession } from "./create-session";
import { SignInInput } from "./schemas";
import { countAttempt, type Limit } from "./throttle";

// Compared against when the email is unknown, so both cases take the same time.
let dummyHash: Promise<string> | undefined;

/**
 * Checks email and password. Wrong email and wrong password give the same 401. Every attempt is
 * counted before the password is hashed: past `signInLimit.max` attempts from one client address
 * within the window (when the address is known: a trusted proxy), or twice as many on one account
 * from any address, the answer is 429 with Retry-After. A successful sign-in resets the account's count.
 */
export async function signIn(
  deps: Deps,
  { input, clientAddress }: { input: unknown; clientAddress: string | null },
): Promise<{ user: SessionUser; session: NewSession }> {
  const { email, password } = parseInput(SignInInput, input);
  const { max, windowMs } = deps.signInLimit;
  const accountKey = `sign-in:account:${email}`;
  const limits: Limit[] = [
    ...(clientAddress ? [{ key: `sign-in:address:${clientAddress}`, max, windowMs }] : []),
    { key: accountKey, max: max * 2, windowMs },
  ];
  await countAttempt(deps, limits, "Too many sign-in attempts. Try again later.");
  const [row] = await deps.db
    .select({ id: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, email));
  dummyHash ??= hashPassword("not a real password");
  const ok = await verifyPassword(password, row?.passwordHash ?? (await dummyHash));
  if (!row?.passwordHash || !ok) throw new AppError("UNAUTHORIZED", "Wrong email or password");
  await clearRateLimit(deps.db, accountKey);
  const user = { id: row.id, email: row.email, name: row.name };
  return { user, session: await createSession(deps, { userId: user.id }) };
}
