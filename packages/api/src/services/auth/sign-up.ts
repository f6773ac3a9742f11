import { users } from "@weft/db";
import type { Deps, SessionUser } from "../../lib/context";
import { hashPassword } from "../../lib/crypto";
import { AppError, isUniqueViolation } from "../../lib/errors";
import { parseInput } from "../../lib/validation";
import { createSession, type NewSession } from "./create-session";
import { SignUpInput } from "./schemas";
import { countAttempt, type Limit } from "./throttle";

export const DEFAULT_SIGN_UP_LIMIT = { max: 10, windowMs: 10 * 60 * 1000 };

/**
 * Creates an account. Each sign-up costs a 64 MiB scrypt hash, so attempts are counted first: at most
 * `signUpLimit.max` per client address per window (when a trusted proxy gives the address), and ten
 * times as many from everyone together, which bounds the hashing load whatever addresses claim to be.
 */
export async function signUp(
  deps: Deps,
  { input, clientAddress }: { input: unknown; clientAddress: string | null },
): Promise<{ user: SessionUser; session: NewSession }> {
  const { email, password, name } = parseInput(SignUpInput, input);
  const { max, windowMs } = deps.signUpLimit ?? DEFAULT_SIGN_UP_LIMIT;
  const limits: Limit[] = [
    ...(clientAddress ? [{ key: `sign-up:address:${clientAddress}`, max, windowMs }] : []),
    { key: "sign-up:all", max: max * 10, windowMs },
  ];
  await countAttempt(deps, limits, "Too many sign-ups. Try again later.");
  const passwordHash = await hashPassword(password);
  let user: SessionUser | undefined;
  try {
    [user] = await deps.db
      .insert(users)
      .values({ email, name, passwordHash })
      .returning({ id: users.id, email: users.email, name: users.name });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", "An account with this email already exists", { path: "email" });
    throw error;
  }
  if (!user) throw new Error("user insert returned nothing");
  return { user, session: await createSession(deps, { userId: user.id }) };
}
