// compileFlow: a valid graph turned into what the engine walks: nodes with parsed configs,
// parents/children with handles, loop bodies, join modes and a deterministic topological order.
import { type Adjacency, type GraphEdge, inEdges, outEdges, reachableFrom, topologicalOrder } from "./graph";
import {
  type BlockConfigMap,
  type BlockType,
  type FlowGraph,
  type MergeMode,
  type Position,
  type RetryPolicy,
  LOOP_BODY_HANDLE,
} from "./schema";
import { FlowValidationError, analyzeFlow } from "./validate";

/** An edge with handles normalized: `null` = the unnamed handle. */
export type CompiledEdge = GraphEdge;

/** How a node with several parents waits for them. */
export type JoinMode = MergeMode;

/** One end of an edge seen from a node: for `parents` the parent, for `children` the child. */
export interface FlowLink {
  edgeId: string;
  nodeId: string;
  /** The handle the edge leaves its source by (`null` = unnamed). */
  sourceHandle: string | null;
  targetHandle: string | null;
}

type CompiledNodeOf<K extends BlockType> = {
  id: string;
  type: K;
  config: BlockConfigMap[K];
  label?: string;
  phase?: string;
  retry?: RetryPolicy;
  timeoutMs?: number;
  position: Position;
};
/** A node with its parsed config; narrow on `type` to get the config type. */
export type CompiledNode = { [K in BlockType]: CompiledNodeOf<K> }[BlockType];

export interface LoopInfo {
  loopId: string;
  /** Nodes reachable from the `body` handle (nested loops' bodies included), in topological order. */
  bodyIds: readonly string[];
  /** The body's first nodes: targets of the loop's `body` edges. */
  entryIds: readonly string[];
  /**
   * The body's last nodes: body nodes directly in this loop (not in a nested loop) with no
   * outgoing edge (a nested loop node counts as an exit when nothing follows its unnamed output).
   */
  exitIds: readonly string[];
  /** The loop whose body holds this loop, if any. */
  parentLoopId: string | null;
}

export interface JoinInfo {
  mode: JoinMode;
  /** The parallel node whose branches merge here (mode `any`/`first`/`all` from its config). */
  parallelId: string | null;
}

export interface ParallelInfo {
  parallelId: string;
  merge: MergeMode;
  /** Its outgoing edges: one branch each. */
  branchEdgeIds: readonly string[];
  /** Nodes where its branches merge (they get its merge mode as join mode). */
  mergeNodeIds: readonly string[];
}

export interface CompiledFlow {
  /** The parsed graph (defaults applied). */
  readonly graph: FlowGraph;
  readonly nodes: ReadonlyMap<string, CompiledNode>;
  readonly edges: readonly CompiledEdge[];
  readonly sourceId: string;
  readonly sinkIds: readonly string[];
  /** Every node, parents before children; ties broken by position in `graph.nodes`. */
  readonly order: readonly string[];
  readonly loops: ReadonlyMap<string, LoopInfo>;
  readonly parallels: ReadonlyMap<string, ParallelInfo>;
  /** Nodes with two or more distinct parents. */
  readonly joins: ReadonlyMap<string, JoinInfo>;
  /** The node, or throws for an unknown id. */
  node(nodeId: string): CompiledNode;
  parents(nodeId: string): readonly FlowLink[];
  /** All children; with `handle`, only those by that handle (`null` = the unnamed handle). */
  children(nodeId: string, handle?: string | null): readonly FlowLink[];
  /** The innermost loop whose body holds the node, or null. */
  loopOf(nodeId: string): string | null;
  /** The join mode of a node (`all` for nodes with a single parent). */
  joinMode(nodeId: string): JoinMode;
}

function link(edge: GraphEdge, nodeId: string): FlowLink {
  return { edgeId: edge.id, nodeId, sourceHandle: edge.sourceHandle, targetHandle: edge.targetHandle };
}

/** Validates and compiles a flow graph; throws FlowValidationError with every problem if invalid. */
export function compileFlow(graph: unknown): CompiledFlow {
  const analysis = analyzeFlow(graph);
  const parsed = analysis.graph;
  if (analysis.problems.length > 0 || !parsed) throw new FlowValidationError(analysis.problems);
  const adj = analysis.adjacency;

  const nodes = new Map<string, CompiledNode>();
  for (const node of parsed.nodes) {
    const view = analysis.nodes.get(node.id);
    if (!view?.config) throw new Error(`compileFlow: node "${node.id}" has no parsed config`);
    const { label, phase, retry, timeoutMs } = node.data;
    nodes.set(node.id, {
      id: node.id,
      type: node.type,
      config: view.config,
      position: node.position,
      ...(label !== undefined ? { label } : {}),
      ...(phase !== undefined ? { phase } : {}),
      ...(retry !== undefined ? { retry } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    } as CompiledNode);
  }
  const all = [...nodes.values()];
  const edgeById = new Map(adj.nodeIds.flatMap((id) => outEdges(adj, id)).map((e) => [e.id, e]));
  const edges = parsed.edges.flatMap((e) => edgeById.get(e.id) ?? []);

  const order = topologicalOrder(adj);
  const position = new Map(order.map((id, i) => [id, i]));
  const inOrder = (ids: Iterable<string>) => [...ids].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));

  const sourceId = all.find((n) => n.type === "source")?.id;
  if (sourceId === undefined) throw new Error("compileFlow: no source after validation");
  const sinkIds = inOrder(all.filter((n) => n.type === "sink").map((n) => n.id));

  // Loops -----------------------------------------------------------------------------------------
  const bodies = analysis.loopBodies;
  const innermost = new Map<string, string>();
  for (const [loopId, body] of bodies) {
    for (const member of body) {
      const current = innermost.get(member);
      // Bodies nest properly (validated), so the smallest body holding a node is the innermost.
      if (current === undefined || (bodies.get(current)?.size ?? 0) > body.size) innermost.set(member, loopId);
    }
  }
  const loops = new Map<string, LoopInfo>();
  for (const [loopId, body] of bodies) {
    const exitIds = inOrder(body).filter((id) => {
      if (innermost.get(id) !== loopId) return false;
      const onward = outEdges(adj, id).filter(
        (e) => !(nodes.get(id)?.type === "loop" && e.sourceHandle === LOOP_BODY_HANDLE),
      );
      return onward.length === 0;
    });
    loops.set(loopId, {
      loopId,
      bodyIds: inOrder(body),
      entryIds: unique(
        outEdges(adj, loopId)
          .filter((e) => e.sourceHandle === LOOP_BODY_HANDLE)
          .map((e) => e.target),
      ),
      exitIds,
      parentLoopId: innermost.get(loopId) ?? null,
    });
  }

  // Joins ------------------------------------------------------------------------------------------
  const joins = new Map<string, JoinInfo>();
  const multiParent = order.filter((id) => new Set(inEdges(adj, id).map((e) => e.source)).size >= 2);
  for (const id of multiParent) joins.set(id, { mode: "all", parallelId: null });
  const parallelNodes = order.flatMap((id) => {
    const node = nodes.get(id);
    return node?.type === "parallel" ? [node] : [];
  });
  // In topological order, so a nearer parallel node overrides an enclosing one.
  for (const parallel of parallelNodes) {
    for (const joinId of mergePointsOf(adj, parallel.id, multiParent)) {
      joins.set(joinId, { mode: parallel.config.merge, parallelId: parallel.id });
    }
  }
  const parallels = new Map<string, ParallelInfo>();
  for (const parallel of parallelNodes) {
    parallels.set(parallel.id, {
      parallelId: parallel.id,
      merge: parallel.config.merge,
      branchEdgeIds: outEdges(adj, parallel.id).map((e) => e.id),
      mergeNodeIds: [...joins].filter(([, join]) => join.parallelId === parallel.id).map(([id]) => id),
    });
  }

  // Accessors --------------------------------------------------------------------------------------
  const known = (nodeId: string): CompiledNode => {
    const node = nodes.get(nodeId);
    if (!node) throw new Error(`Unknown node "${nodeId}" in this flow`);
    return node;
  };
  const parentLinks = new Map(all.map((n) => [n.id, inEdges(adj, n.id).map((e) => link(e, e.source))]));
  const childLinks = new Map(all.map((n) => [n.id, outEdges(adj, n.id).map((e) => link(e, e.target))]));

  return {
    graph: parsed,
    nodes,
    edges,
    sourceId,
    sinkIds,
    order,
    loops,
    parallels,
    joins,
    node: known,
    parents(nodeId) {
      known(nodeId);
      return parentLinks.get(nodeId) ?? [];
    },
    children(nodeId, handle) {
      known(nodeId);
      const links = childLinks.get(nodeId) ?? [];
      return handle === undefined ? links : links.filter((l) => l.sourceHandle === handle);
    },
    loopOf(nodeId) {
      known(nodeId);
      return innermost.get(nodeId) ?? null;
    },
    joinMode(nodeId) {
      known(nodeId);
      return joins.get(nodeId)?.mode ?? "all";
    },
  };
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/**
 * Where the branches of a parallel node merge. Each outgoing edge is a branch; a node belongs to
 * the branches it is reachable from. A node with several parents is a merge point when every
 * incoming edge comes from inside the parallel node's branches and no two incoming edges come
 * from a common branch (the branch sets are pairwise disjoint). Anything less regular (a parent
 * from outside, or a path that already merged meeting one of its own branches again) joins with
 * the default `all`.
 */
function mergePointsOf(adj: Adjacency, parallelId: string, multiParent: readonly string[]): string[] {
  const branches = outEdges(adj, parallelId);
  if (branches.length < 2) return [];
  const membership = new Map<string, Set<number>>();
  branches.forEach((edge, k) => {
    for (const id of reachableFrom(adj, [edge.target], parallelId)) {
      let set = membership.get(id);
      if (!set) membership.set(id, (set = new Set()));
      set.add(k);
    }
  });
  return multiParent.filter((joinId) => {
    if (!membership.has(joinId)) return false;
    const union = new Set<number>();
    let total = 0;
    for (const edge of inEdges(adj, joinId)) {
      const from =
        edge.source === parallelId ? new Set([branches.indexOf(edge)]) : membership.get(edge.source);
      if (!from || from.size === 0) return false;
      total += from.size;
      for (const k of from) union.add(k);
    }
    return union.size === total && union.size >= 2;
  });
}
