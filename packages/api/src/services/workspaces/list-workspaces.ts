import { asc, eq, workspaceMembers, workspaces } from "@weft/db";
import type { Deps } from "../../lib/context";
import type { WorkspaceSummary } from "./create-workspace";

/** The workspaces the user belongs to, oldest first, with the user's role in each. */
export async function listWorkspaces(deps: Deps, { userId }: { userId: string }): Promise<WorkspaceSummary[]> {
  return deps.db
    .select({ id: workspaces.id, name: workspaces.name, role: workspaceMembers.role })
    .from(workspaceMembers)
    .innerJoin(workspaces, eq(workspaces.id, workspaceMembers.workspaceId))
    .where(eq(workspaceMembers.userId, userId))
    .orderBy(asc(workspaceMembers.createdAt), asc(workspaces.name));
}
