import { validateFlow, type FlowProblem } from "@weft/flow";
import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { findFlow } from "./find-flow";
import { FlowIdInput } from "./schemas";

/** Checks the stored draft with `validateFlow`: `ok` and every problem (node id, path, message). */
export async function validateStoredFlow(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ ok: boolean; problems: FlowProblem[] }> {
  const { flowId } = parseInput(FlowIdInput, input);
  const flow = await findFlow(deps.db, { workspaceId: actor.workspaceId, flowId });
  const { ok, problems } = validateFlow({ nodes: flow.nodes, edges: flow.edges });
  return { ok, problems };
}
