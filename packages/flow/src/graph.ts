// Plain graph algorithms over node ids and edges (internal; no flow semantics here).

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** `null` = the unnamed handle. */
  sourceHandle: string | null;
  targetHandle: string | null;
}

export interface Adjacency {
  /** Node ids in their order in the graph (the tie-breaker of every traversal). */
  readonly nodeIds: readonly string[];
  readonly outgoing: ReadonlyMap<string, readonly GraphEdge[]>;
  readonly incoming: ReadonlyMap<string, readonly GraphEdge[]>;
}

const NONE: readonly GraphEdge[] = [];

export function buildAdjacency(nodeIds: readonly string[], edges: readonly GraphEdge[]): Adjacency {
  const outgoing = new Map<string, GraphEdge[]>();
  const incoming = new Map<string, GraphEdge[]>();
  for (const id of nodeIds) {
    outgoing.set(id, []);
    incoming.set(id, []);
  }
  for (const edge of edges) {
    const out = outgoing.get(edge.source);
    const into = incoming.get(edge.target);
    // Edges whose ends are not nodes are reported by validation and left out of the graph.
    if (!out || !into) continue;
    out.push(edge);
    into.push(edge);
  }
  return { nodeIds, outgoing, incoming };
}

export function outEdges(adj: Adjacency, id: string): readonly GraphEdge[] {
  return adj.outgoing.get(id) ?? NONE;
}

export function inEdges(adj: Adjacency, id: string): readonly GraphEdge[] {
  return adj.incoming.get(id) ?? NONE;
}

/** Nodes reachable from `starts` (included) following edges forward, never entering `stopAt`. */
export function reachableFrom(adj: Adjacency, starts: Iterable<string>, stopAt?: string): Set<string> {
  const seen = new Set<string>();
  const stack: string[] = [];
  for (const start of starts) {
    if (start !== stopAt && !seen.has(start)) {
      seen.add(start);
      stack.push(start);
    }
  }
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    for (const edge of outEdges(adj, id)) {
      if (edge.target === stopAt || seen.has(edge.target)) continue;
      seen.add(edge.target);
      stack.push(edge.target);
    }
  }
  return seen;
}

/** Nodes from which `id` is reachable (excluding `id` itself unless it is on a cycle). */
export function ancestorsOf(adj: Adjacency, id: string): Set<string> {
  const seen = new Set<string>();
  const stack = [id];
  for (let current = stack.pop(); current !== undefined; current = stack.pop()) {
    for (const edge of inEdges(adj, current)) {
      if (seen.has(edge.source)) continue;
      seen.add(edge.source);
      stack.push(edge.source);
    }
  }
  return seen;
}

/**
 * Strongly connected components that contain a cycle (more than one node, or a self-loop),
 * by Tarjan's algorithm written iteratively (no recursion limit on long chains).
 */
export function cyclicComponents(adj: Adjacency): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];
  let counter = 0;

  for (const root of adj.nodeIds) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter);
    counter += 1;
    stack.push(root);
    onStack.add(root);

    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (!frame) break;
      const edges = outEdges(adj, frame.id);
      const edge = edges[frame.next];
      if (edge) {
        frame.next += 1;
        const target = edge.target;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter);
          counter += 1;
          stack.push(target);
          onStack.add(target);
          work.push({ id: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id) ?? 0, index.get(target) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) ?? 0, low.get(frame.id) ?? 0));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        for (;;) {
          const member = stack.pop();
          if (member === undefined) break;
          onStack.delete(member);
          component.push(member);
          if (member === frame.id) break;
        }
        const only = component[0];
        const selfLoop =
          component.length === 1 && only !== undefined && outEdges(adj, only).some((e) => e.target === only);
        if (component.length > 1 || selfLoop) result.push(component);
      }
    }
  }
  // Report components in graph order, members in graph order.
  const position = new Map(adj.nodeIds.map((id, i) => [id, i]));
  const byPosition = (a: string, b: string) => (position.get(a) ?? 0) - (position.get(b) ?? 0);
  for (const component of result) component.sort(byPosition);
  result.sort((a, b) => byPosition(a[0] ?? "", b[0] ?? ""));
  return result;
}

/** A shortest cycle through `start` inside `component`: the nodes in order, and the edge that closes it. */
export function cycleThrough(
  adj: Adjacency,
  component: ReadonlySet<string>,
  start: string,
): { nodes: string[]; closingEdge: GraphEdge } | undefined {
  const via = new Map<string, GraphEdge>();
  const queue = [start];
  const seen = new Set([start]);
  for (let head = 0; head < queue.length; head += 1) {
    const id = queue[head];
    if (id === undefined) break;
    for (const edge of outEdges(adj, id)) {
      if (edge.target === start) {
        const nodes = [id];
        for (let back = via.get(id); back; back = via.get(back.source)) nodes.unshift(back.source);
        return { nodes, closingEdge: edge };
      }
      if (!component.has(edge.target) || seen.has(edge.target)) continue;
      seen.add(edge.target);
      via.set(edge.target, edge);
      queue.push(edge.target);
    }
  }
  return undefined;
}

/**
 * Kahn's topological order; among nodes ready at the same time, the one first in the graph's
 * node list goes first, so the order is deterministic. Nodes on cycles are left out.
 */
export function topologicalOrder(adj: Adjacency): string[] {
  const position = new Map(adj.nodeIds.map((id, i) => [id, i]));
  const remaining = new Map(adj.nodeIds.map((id) => [id, inEdges(adj, id).length]));
  // Ready nodes sorted by descending position, so pop() yields the earliest one.
  const ready = adj.nodeIds.filter((id) => remaining.get(id) === 0).reverse();
  const order: string[] = [];
  const insert = (id: string) => {
    const p = position.get(id) ?? 0;
    let lo = 0;
    let hi = ready.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((position.get(ready[mid] ?? "") ?? 0) > p) lo = mid + 1;
      else hi = mid;
    }
    ready.splice(lo, 0, id);
  };
  for (let id = ready.pop(); id !== undefined; id = ready.pop()) {
    order.push(id);
    for (const edge of outEdges(adj, id)) {
      const left = (remaining.get(edge.target) ?? 0) - 1;
      remaining.set(edge.target, left);
      if (left === 0) insert(edge.target);
    }
  }
  return order;
}
