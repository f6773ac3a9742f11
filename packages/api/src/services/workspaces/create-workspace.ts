import { workspaceMembers, workspaces } from "@weft/db";
import type { Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { CreateWorkspaceInput } from "./schemas";

export type WorkspaceSummary = { id: string; name: string; role: "owner" | "admin" | "member" | "viewer" };

/** Creates a workspace with the caller as its owner, in one transaction. */
export async function createWorkspace(deps: Deps, { userId, input }: { userId: string; input: unknown }): Promise<WorkspaceSummary> {
  const { name } = parseInput(CreateWorkspaceInput, input);
  return deps.db.transaction(async (tx) => {
    const [workspace] = await tx.insert(workspaces).values({ name, createdBy: userId }).returning();
    if (!workspace) throw new Error("workspace insert returned nothing");
    await tx.insert(workspaceMembers).values({ workspaceId: workspace.id, userId, role: "owner" });
    return { id: workspace.id, name: workspace.name, role: "owner" as const };
  });
}
