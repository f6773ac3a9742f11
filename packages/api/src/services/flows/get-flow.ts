import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { findFlow } from "./find-flow";
import type { FlowView } from "./flow-view";
import { FlowIdInput } from "./schemas";

export async function getFlow(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<FlowView> {
  const { flowId } = parseInput(FlowIdInput, input);
  return toFlowView(await findFlow(deps.db, { workspaceId: actor.workspaceId, flowId }));
}

/** The API shape of a flow row (no workspace id, no deletion mark). */
export function toFlowView(row: FlowView & { workspaceId: string }): FlowView {
  const { id, name, description, version, publishedVersion, enabled, createdAt, updatedAt, nodes, edges, triggers } = row;
  return { id, name, description, version, publishedVersion, enabled, createdAt, updatedAt, nodes, edges, triggers };
}
