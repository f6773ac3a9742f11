import { asc, eq, users, workspaceMembers } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";

export async function listMembers(deps: Deps, { actor }: { actor: Actor }) {
  return deps.db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: workspaceMembers.role,
      joinedAt: workspaceMembers.createdAt,
    })
    .from(workspaceMembers)
    .innerJoin(users, eq(users.id, workspaceMembers.userId))
    .where(eq(workspaceMembers.workspaceId, actor.workspaceId))
    .orderBy(asc(workspaceMembers.createdAt));
}
