import { and, count, eq, workspaceMembers } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { AppError, notFound } from "../../lib/errors";
import { requireRole, requireUser } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { UpdateMemberRoleInput } from "./schemas";

/** Changes a member's role. Owners alone grant or take away ownership; the last owner stays. */
export async function updateMemberRole(deps: Deps, { actor, input }: { actor: Actor; input: unknown }) {
  requireUser(actor);
  requireRole(actor.role, "admin");
  const { userId, role } = parseInput(UpdateMemberRoleInput, input);
  return deps.db.transaction(async (tx) => {
    const where = and(eq(workspaceMembers.workspaceId, actor.workspaceId), eq(workspaceMembers.userId, userId));
    const [member] = await tx.select({ role: workspaceMembers.role }).from(workspaceMembers).where(where).for("update");
    if (!member) throw notFound("Member");
    if (member.role === "owner" || role === "owner") requireRole(actor.role, "owner");
    if (member.role === "owner" && role !== "owner") await assertAnotherOwner(tx, actor.workspaceId);
    await tx.update(workspaceMembers).set({ role }).where(where);
    await audit(tx, actor, "member.role", { type: "user", id: userId }, { from: member.role, to: role });
    return { userId, role };
  });
}

export async function assertAnotherOwner(tx: Pick<Deps["db"], "select">, workspaceId: string) {
  const [row] = await tx
    .select({ n: count() })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.role, "owner")));
  if ((row?.n ?? 0) <= 1) throw new AppError("CONFLICT", "A workspace needs at least one owner");
}
