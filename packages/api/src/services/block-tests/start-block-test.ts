import { and, blockVersions, eq, type TriggerType } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { AppError, notFound } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { parseBlockConfig } from "../blocks/block-view";
import { getBlock } from "../blocks/get-block";
import { resolveBlockRefs } from "../blocks/resolve-block-refs";
import { findFlow } from "../flows/find-flow";
import { launchBlockTest, type BlockTestSpec, type StartedBlockTest } from "./launch-block-test";
import { StartBlockTestInput } from "./schemas";
import { BLOCK_NODE_ID, requireTestable, type TestedNode } from "./test-graph";

/**
 * `POST /blocks/test`: runs one block on its own with `input` (members and up). The block is unsaved
 * (`block`), saved (`blockId`, its latest or given `version`) or a node of a flow's draft (`flowId` +
 * `nodeId`, optionally with `block` as its unsaved config); see launchBlockTest.
 */
export async function startBlockTest(
  deps: Deps,
  { actor, input, triggerType }: { actor: Actor; input: unknown; triggerType?: TriggerType },
): Promise<StartedBlockTest> {
  requireRole(actor.role, "member");
  const request = parseInput(StartBlockTestInput, input);
  const spec = await specOf(deps, actor, request);
  return launchBlockTest(deps, { actor, spec, triggerType });
}

async function specOf(deps: Deps, actor: Actor, request: StartBlockTestInput): Promise<BlockTestSpec> {
  const { input } = request;
  if (request.block) requireBlockConfig(request.block);
  if (request.blockId) {
    const saved = await savedBlockNode(deps, actor, request.blockId, request.version);
    return { node: saved.node, input, blockId: request.blockId, blockVersion: saved.version, field: "blockId" };
  }
  if (request.flowId && request.nodeId) {
    const node = await draftNode(deps, actor, request.flowId, request.nodeId);
    const tested = request.block ? { id: node.id, type: request.block.type, data: { ...node.data, label: request.block.label ?? node.data.label, config: request.block.config } } : node;
    return { node: tested, input, flowId: request.flowId, field: request.block ? "block" : "nodeId" };
  }
  const block = request.block!;
  return { node: { id: BLOCK_NODE_ID, type: block.type, data: { label: block.label, config: block.config } }, input, field: "block" };
}

/** An unsaved block's type must be testable and its config valid: 400 naming `block.type` / `block.config.<field>`. */
function requireBlockConfig(block: NonNullable<StartBlockTestInput["block"]>): void {
  requireTestable(block.type, "block.type");
  try {
    parseBlockConfig(block.type, block.config);
  } catch (error) {
    if (error instanceof AppError && error.path) throw new AppError("BAD_REQUEST", `block.${error.message}`, { path: `block.${error.path}`, cause: error });
    throw error;
  }
}

/** The saved block (its latest or given version) as the node a test runs; 404 for another workspace's block. */
export async function savedBlockNode(deps: Deps, actor: Actor, blockId: string, version?: number): Promise<{ node: TestedNode; version: number }> {
  const block = await getBlock(deps, { actor, input: { blockId } });
  if (version === undefined || version === block.version) {
    return { node: { id: BLOCK_NODE_ID, type: block.type, data: { label: block.name, config: block.config } }, version: block.version };
  }
  const [row] = await deps.db
    .select()
    .from(blockVersions)
    .where(and(eq(blockVersions.workspaceId, actor.workspaceId), eq(blockVersions.blockId, blockId), eq(blockVersions.version, version)));
  if (!row) throw new AppError("NOT_FOUND", `version: this block has no version ${version}`, { path: "version" });
  return { node: { id: BLOCK_NODE_ID, type: row.type, data: { label: row.name, config: row.config } }, version };
}

/** Node `nodeId` of the flow's draft, a saved block it references resolved; 404 naming the field. */
export async function draftNode(deps: Deps, actor: Actor, flowId: string, nodeId: string): Promise<TestedNode> {
  const flow = await findFlow(deps.db, { workspaceId: actor.workspaceId, flowId });
  const raw = (flow.nodes as Array<{ id?: unknown }>).find((n) => n?.id === nodeId);
  if (!raw) throw new AppError("NOT_FOUND", `nodeId: this flow has no node "${nodeId}"`, { path: "nodeId" });
  const graph = await resolveBlockRefs(deps.db, { workspaceId: actor.workspaceId, graph: { nodes: [raw], edges: [] } });
  const node = graph.nodes[0] as { id: string; type?: unknown; data?: TestedNode["data"] };
  if (typeof node.type !== "string") throw notFound(`Node "${nodeId}"`);
  return { id: node.id, type: node.type, data: node.data ?? {} };
}
