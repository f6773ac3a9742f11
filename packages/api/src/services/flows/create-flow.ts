import { flows } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { flowView, type FlowView } from "./flow-view";
import { CreateFlowInput } from "./schemas";

/** A new draft at version 1. The graph may be incomplete or invalid; `publish` is where it must be valid. */
export async function createFlow(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<FlowView> {
  requireRole(actor.role, "member");
  const { name, description, nodes, edges } = parseInput(CreateFlowInput, input);
  return deps.db.transaction(async (tx) => {
    const now = deps.now();
    const [row] = await tx
      .insert(flows)
      .values({
        workspaceId: actor.workspaceId,
        name,
        description: description ?? "",
        nodes: nodes ?? [],
        edges: edges ?? [],
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning(flowView);
    if (!row) throw new Error("flow insert returned nothing");
    await audit(tx, actor, "flow.create", { type: "flow", id: row.id }, { name });
    return row;
  });
}
