import { and, blocks, blockVersions, eq, inArray, type DbOrTx } from "@weft/db";
import type { FlowProblem } from "@weft/flow";
import { AppError } from "../../lib/errors";

type RefNode = { id?: unknown; type?: unknown; data?: { blockRef?: { blockId?: unknown; version?: unknown }; config?: unknown } & Record<string, unknown> };
type Graph = { nodes: readonly unknown[]; edges: readonly unknown[] };
type Resolved = { type: string; config: Record<string, unknown>; version: number };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function refsOf(graph: Graph): Array<{ node: RefNode; blockId: string; version?: number }> {
  const out: Array<{ node: RefNode; blockId: string; version?: number }> = [];
  for (const raw of graph.nodes) {
    const node = raw as RefNode;
    const ref = node?.data?.blockRef;
    if (!ref || typeof ref.blockId !== "string" || !UUID_RE.test(ref.blockId)) continue;
    out.push({ node, blockId: ref.blockId, version: typeof ref.version === "number" ? ref.version : undefined });
  }
  return out;
}

/**
 * The saved block (its given version, else the latest) behind every `data.blockRef` of the graph, by
 * node id; a node whose block is missing, of another workspace, or lacks that version gets a problem.
 */
async function lookUp(db: DbOrTx, workspaceId: string, graph: Graph): Promise<{ resolved: Map<string, Resolved>; problems: FlowProblem[] }> {
  const refs = refsOf(graph);
  const resolved = new Map<string, Resolved>();
  const problems: FlowProblem[] = [];
  if (refs.length === 0) return { resolved, problems };
  const ids = [...new Set(refs.map((r) => r.blockId))];
  const latest = await db
    .select({ id: blocks.id, type: blocks.type, config: blocks.config, version: blocks.version })
    .from(blocks)
    .where(and(eq(blocks.workspaceId, workspaceId), inArray(blocks.id, ids)));
  const pinned = refs.some((r) => r.version !== undefined)
    ? await db
        .select({ blockId: blockVersions.blockId, type: blockVersions.type, config: blockVersions.config, version: blockVersions.version })
        .from(blockVersions)
        .where(and(eq(blockVersions.workspaceId, workspaceId), inArray(blockVersions.blockId, ids)))
    : [];
  const byId = new Map(latest.map((b) => [b.id, b]));
  for (const ref of refs) {
    const nodeId = String(ref.node.id);
    const block = byId.get(ref.blockId);
    const found = !block ? undefined : ref.version === undefined ? block : pinned.find((v) => v.blockId === ref.blockId && v.version === ref.version);
    if (!found) {
      const what = !block ? "the saved block it uses does not exist in this workspace" : `the saved block it uses has no version ${ref.version}`;
      problems.push({ code: "unknown_block_ref", nodeId, path: "blockRef", message: `Node "${nodeId}": ${what}` });
      continue;
    }
    resolved.set(nodeId, { type: found.type, config: found.config, version: found.version });
  }
  return { resolved, problems };
}

/** Problems of the graph's block references (for validation, which lists them with the others). */
export async function blockRefProblems(db: DbOrTx, input: { workspaceId: string; graph: Graph }): Promise<FlowProblem[]> {
  return (await lookUp(db, input.workspaceId, input.graph)).problems;
}

/**
 * The graph with every `data.blockRef` node's type and config taken from the block library, and its
 * `blockRef.version` set to the version used (pinned). A bad reference is a 400 naming the node.
 */
export async function resolveBlockRefs<G extends Graph>(db: DbOrTx, { workspaceId, graph }: { workspaceId: string; graph: G }): Promise<G> {
  const { resolved, problems } = await lookUp(db, workspaceId, graph);
  const first = problems[0];
  if (first) throw new AppError("BAD_REQUEST", first.message, { path: `nodes.${first.nodeId}.data.blockRef` });
  if (resolved.size === 0) return graph;
  const nodes = graph.nodes.map((raw) => {
    const node = raw as RefNode;
    const block = resolved.get(String(node.id));
    if (!block) return raw;
    return {
      ...node,
      type: block.type,
      data: { ...node.data, config: block.config, blockRef: { blockId: node.data!.blockRef!.blockId, version: block.version } },
    };
  });
  return { ...graph, nodes };
}
