import { flows } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { findFlow } from "./find-flow";
import { flowView, type FlowView } from "./flow-view";
import { FlowIdInput } from "./schemas";

const MAX_NAME = 200;
const SUFFIX = " (copy)";

/** A new draft with the same graph, named "<name> (copy)", at version 1 and unpublished. */
export async function duplicateFlow(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<FlowView> {
  requireRole(actor.role, "member");
  const { flowId } = parseInput(FlowIdInput, input);
  return deps.db.transaction(async (tx) => {
    const source = await findFlow(tx, { workspaceId: actor.workspaceId, flowId });
    const now = deps.now();
    // Triggers (schedules, webhooks) are not copied: a copy must not start firing on its own.
    const [row] = await tx
      .insert(flows)
      .values({
        workspaceId: actor.workspaceId,
        name: `${source.name.slice(0, MAX_NAME - SUFFIX.length)}${SUFFIX}`,
        description: source.description,
        nodes: source.nodes,
        edges: source.edges,
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning(flowView);
    if (!row) throw new Error("flow insert returned nothing");
    await audit(tx, actor, "flow.duplicate", { type: "flow", id: row.id }, { from: flowId });
    return row;
  });
}
