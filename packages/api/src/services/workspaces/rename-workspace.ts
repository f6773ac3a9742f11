import { eq, workspaces } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { RenameWorkspaceInput } from "./schemas";

export async function renameWorkspace(deps: Deps, { actor, input }: { actor: Actor; input: unknown }) {
  requireRole(actor.role, "admin");
  const { name, retentionDays } = parseInput(RenameWorkspaceInput, input);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(workspaces)
      .set({ name, ...(retentionDays !== undefined ? { retentionDays } : {}) })
      .where(eq(workspaces.id, actor.workspaceId))
      .returning({ id: workspaces.id, name: workspaces.name, retentionDays: workspaces.retentionDays });
    await audit(tx, actor, "workspace.rename", { type: "workspace", id: actor.workspaceId }, { name, ...(retentionDays !== undefined ? { retentionDays } : {}) });
    return row!;
  });
}
