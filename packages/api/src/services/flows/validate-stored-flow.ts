import { validateFlow, type FlowProblem } from "@weft/flow";
import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { blockRefProblems } from "../blocks/resolve-block-refs";
import { unknownVariables } from "../variables/require-known-variables";
import { findFlow } from "./find-flow";
import { FlowIdInput } from "./schemas";

/** Checks the stored draft with `validateFlow`: `ok` and every problem (node id, path, message). */
export async function validateStoredFlow(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ ok: boolean; problems: FlowProblem[] }> {
  const { flowId } = parseInput(FlowIdInput, input);
  const flow = await findFlow(deps.db, { workspaceId: actor.workspaceId, flowId });
  const { problems } = validateFlow({ nodes: flow.nodes, edges: flow.edges });
  problems.push(...(await unknownVariables(deps.db, { workspaceId: actor.workspaceId, graph: flow })));
  problems.push(...(await blockRefProblems(deps.db, { workspaceId: actor.workspaceId, graph: flow })));
  return { ok: problems.length === 0, problems };
}
