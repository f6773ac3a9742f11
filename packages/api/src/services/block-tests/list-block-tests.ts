import { and, blockTestRuns, eq } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { getBlock } from "../blocks/get-block";
import { findFlow } from "../flows/find-flow";
import { selectBlockTests, type BlockTestView } from "./block-test-view";
import { ListBlockTestsInput } from "./schemas";

/** The test history of a saved block or of a flow's node, newest first (viewers may read it). */
export async function listBlockTests(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<BlockTestView[]> {
  const { blockId, flowId, nodeId, limit } = parseInput(ListBlockTestsInput, input);
  const r = blockTestRuns;
  if (blockId) {
    await getBlock(deps, { actor, input: { blockId } });
    return selectBlockTests(deps, { workspaceId: actor.workspaceId, where: eq(r.blockId, blockId), limit });
  }
  await findFlow(deps.db, { workspaceId: actor.workspaceId, flowId: flowId! });
  return selectBlockTests(deps, { workspaceId: actor.workspaceId, where: and(eq(r.flowId, flowId!), eq(r.nodeId, nodeId!)), limit });
}
