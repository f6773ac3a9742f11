import { users } from "@weft/db";
import type { Deps, SessionUser } from "../../lib/context";
import { hashPassword } from "../../lib/crypto";
import { AppError, isUniqueViolation } from "../../lib/errors";
import { parseInput } from "../../lib/validation";
import { createSession, type NewSession } from "./create-session";
import { SignUpInput } from "./schemas";

export async function signUp(deps: Deps, input: unknown): Promise<{ user: SessionUser; session: NewSession }> {
  const { email, password, name } = parseInput(SignUpInput, input);
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
