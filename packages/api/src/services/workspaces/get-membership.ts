import { and, eq, workspaceMembers, workspaces, type WorkspaceRole } from "@weft/db";
import type { Deps } from "../../lib/context";
import { notFound } from "../../lib/errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The user's role in a workspace. A workspace the user is not a member of does not exist for them:
 * 404, the same as a workspace id that does not exist at all.
 */
export async function getMembership(
  deps: Deps,
  { workspaceId, userId }: { workspaceId: string; userId: string },
): Promise<{ workspaceId: string; workspaceName: string; role: WorkspaceRole }> {
  if (!UUID.test(workspaceId)) throw notFound("Workspace");
  const [row] = await deps.db
    .select({ workspaceId: workspaces.id, workspaceName: workspaces.name, role: workspaceMembers.role })
    .from(workspaceMembers)
    .innerJoin(workspaces, eq(workspaces.id, workspaceMembers.workspaceId))
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, userId)));
  if (!row) throw notFound("Workspace");
  return row;
}
