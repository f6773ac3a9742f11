import { eq, users, workspaceMembers } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { AppError, isUniqueViolation } from "../../lib/errors";
import { requireRole, requireUser } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { InviteMemberInput } from "./schemas";

/** Adds an existing user (local auth) to the workspace by email. Only owners can add owners. */
export async function inviteMember(deps: Deps, { actor, input }: { actor: Actor; input: unknown }) {
  requireUser(actor);
  requireRole(actor.role, "admin");
  const { email, role } = parseInput(InviteMemberInput, input);
  if (role === "owner") requireRole(actor.role, "owner");
  const [user] = await deps.db.select({ id: users.id, name: users.name }).from(users).where(eq(users.email, email));
  if (!user) throw new AppError("NOT_FOUND", "No Weft user has this email; ask them to sign up first", { path: "email" });
  try {
    return await deps.db.transaction(async (tx) => {
      await tx.insert(workspaceMembers).values({ workspaceId: actor.workspaceId, userId: user.id, role });
      await audit(tx, actor, "member.add", { type: "user", id: user.id }, { role });
      return { userId: user.id, email, name: user.name, role };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", "This user is already a member", { path: "email" });
    throw error;
  }
}
