import { and, eq, workspaceMembers } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { requireRole, requireUser } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { RemoveMemberInput } from "./schemas";
import { assertAnotherOwner } from "./update-member-role";

/** Removes a member (admins), or lets a member leave; the last owner cannot go. */
export async function removeMember(deps: Deps, { actor, input }: { actor: Actor; input: unknown }) {
  requireUser(actor);
  const { userId } = parseInput(RemoveMemberInput, input);
  if (userId !== actor.userId) requireRole(actor.role, "admin");
  return deps.db.transaction(async (tx) => {
    const where = and(eq(workspaceMembers.workspaceId, actor.workspaceId), eq(workspaceMembers.userId, userId));
    const [member] = await tx.select({ role: workspaceMembers.role }).from(workspaceMembers).where(where).for("update");
    if (!member) throw notFound("Member");
    if (member.role === "owner") {
      if (userId !== actor.userId) requireRole(actor.role, "owner");
      await assertAnotherOwner(tx, actor.workspaceId);
    }
    await tx.delete(workspaceMembers).where(where);
    await audit(tx, actor, "member.remove", { type: "user", id: userId });
    return { userId };
  });
}
