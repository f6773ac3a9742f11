import { compileFlow, LOOP_BODY_HANDLE, type CompiledFlow } from "@weft/flow";

/**
 * The runtime's view of a compiled flow (packages/flow's compileFlow does the analysis: loop bodies,
 * join modes, validation): who feeds whom with which handle, loop scopes, and merge behaviour.
 */
export type GraphNode = {
  id: string;
  type: string;
  config: Record<string, unknown>;
  retry?: { maxAttempts?: number; initialDelayMs?: number; maxDelayMs?: number };
  timeoutMs?: number;
};
export type GraphEdge = { id: string; source: string; target: string; sourceHandle: string | null };
export type JoinMode = "all" | "any" | "first";

export type GraphIndex = {
  nodes: Map<string, GraphNode>;
  sourceId: string;
  sinkIds: readonly string[];
  incoming(nodeId: string): GraphEdge[];
  /** The innermost loop whose body holds the node, or null at the top level. */
  loopOf(nodeId: string): string | null;
  /** Nodes of one loop's own scope (nested loops' bodies excluded) and the exits giving its output. */
  loopBody(loopId: string): { nodeIds: string[]; exits: readonly string[] };
  joinMode(nodeId: string): JoinMode;
};

export const BODY_HANDLE = LOOP_BODY_HANDLE;

/** Compiles the pinned graph (throws FlowValidationError with every problem when it is invalid). */
export function indexGraph(graph: unknown): GraphIndex {
  const flow: CompiledFlow = compileFlow(graph);
  const nodes = new Map<string, GraphNode>();
  for (const node of flow.nodes.values()) {
    nodes.set(node.id, {
      id: node.id,
      type: node.type,
      config: node.config,
      retry: node.retry,
      timeoutMs: node.timeoutMs,
    });
  }
  const incoming = new Map<string, GraphEdge[]>();
  for (const id of nodes.keys()) {
    incoming.set(
      id,
      flow.parents(id).map((link) => ({ id: link.edgeId, source: link.nodeId, target: id, sourceHandle: link.sourceHandle })),
    );
  }
  const bodies = new Map<string, { nodeIds: string[]; exits: readonly string[] }>();
  for (const [loopId, info] of flow.loops) {
    bodies.set(loopId, { nodeIds: info.bodyIds.filter((id) => flow.loopOf(id) === loopId), exits: info.exitIds });
  }
  return {
    nodes,
    sourceId: flow.sourceId,
    sinkIds: flow.sinkIds,
    incoming: (id) => incoming.get(id) ?? [],
    loopOf: (id) => flow.loopOf(id),
    loopBody: (loopId) => bodies.get(loopId) ?? { nodeIds: [], exits: [] },
    joinMode: (id) => flow.joinMode(id),
  };
}
