import type { TriggerType } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { getBlockTest } from "./get-block-test";
import { launchBlockTest, type StartedBlockTest } from "./launch-block-test";
import { ReplayBlockTestInput } from "./schemas";
import { draftNode, savedBlockNode } from "./start-block-test";
import { BLOCK_NODE_ID } from "./test-graph";

/**
 * Starts a new test with an earlier test's input: on the block's current config (the saved block's
 * latest version, or the flow node's draft), or with `config: "original"` on the config it ran with.
 * A test of an unsaved block has no current config: it replays its own.
 */
export async function replayBlockTest(
  deps: Deps,
  { actor, input, triggerType }: { actor: Actor; input: unknown; triggerType?: TriggerType },
): Promise<StartedBlockTest> {
  requireRole(actor.role, "member");
  const { testRunId, config } = parseInput(ReplayBlockTestInput, input);
  const earlier = await getBlockTest(deps, { actor, input: { testRunId } });
  const common = { input: earlier.input, blockId: earlier.blockId, flowId: earlier.flowId, replayOf: earlier.id };
  if (config === "current" && earlier.blockId) {
    const saved = await savedBlockNode(deps, actor, earlier.blockId);
    return launchBlockTest(deps, { actor, triggerType, spec: { ...common, node: saved.node, blockVersion: saved.version, field: "config" } });
  }
  if (config === "current" && earlier.flowId && earlier.nodeId) {
    const node = await draftNode(deps, actor, earlier.flowId, earlier.nodeId);
    return launchBlockTest(deps, { actor, triggerType, spec: { ...common, node, field: "config" } });
  }
  const node = { id: earlier.nodeId ?? BLOCK_NODE_ID, type: earlier.blockType, data: { config: earlier.config } };
  return launchBlockTest(deps, { actor, triggerType, spec: { ...common, node, blockVersion: earlier.blockVersion, field: "config" } });
}
