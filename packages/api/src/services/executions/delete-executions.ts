import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { findExecutions } from "./find-executions";
import { ExecutionIdsInput } from "./schemas";

/**
 * Deletes ended executions with their steps and events (members and up): all or nothing. 404 when any
 * id is not this workspace's; 409 naming the runs that have not ended (cancel them first).
 */
export async function deleteExecutions(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ deleted: string[] }> {
  requireRole(actor.role, "member");
  const { executionIds } = parseInput(ExecutionIdsInput, input);
  await findExecutions(deps, { workspaceId: actor.workspaceId, executionIds });
  const { deleted, active } = await deps.executions.deleteEnded({ workspaceId: actor.workspaceId, executionIds });
  if (active.length > 0) {
    const named = active.map((a) => `${a.id.slice(0, 8)} (${a.status})`).join(", ");
    throw new AppError("CONFLICT", `Cannot delete runs that have not ended: ${named}. Cancel them first.`, { path: "executionIds" });
  }
  await audit(deps.db, actor, "execution.delete", { type: "execution", id: deleted[0] ?? "" }, { executionIds: deleted });
  return { deleted };
}
