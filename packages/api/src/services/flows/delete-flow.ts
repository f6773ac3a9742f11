import { flows } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { liveFlow } from "./find-flow";
import { FlowIdInput } from "./schemas";

/** Soft delete: the row stays (executions point at it) but every flow API answers 404 from now on. */
export async function deleteFlow(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ id: string }> {
  requireRole(actor.role, "member");
  const { flowId } = parseInput(FlowIdInput, input);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(flows)
      .set({ deletedAt: deps.now() })
      .where(liveFlow({ workspaceId: actor.workspaceId, flowId }))
      .returning({ id: flows.id });
    if (!row) throw notFound("Flow");
    await audit(tx, actor, "flow.delete", { type: "flow", id: flowId });
    return row;
  });
}
