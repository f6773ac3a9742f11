// Readiness, joins and skips of one scope (the top level, or one iteration of a loop body): which
// nodes can start now and with which input, and which can never run. Pure: the runner passes what it
// knows (the graph, each node's state) and acts on the answer.
import { LOOP_BODY_HANDLE } from "@weft/flow";
import type { BlockExecutionStatus } from "./status";

export type JoinMode = "all" | "any" | "first";
export type ScopeEdge = { source: string; sourceHandle: string | null };

/** What the planner reads of the graph (runtime/graph.ts's GraphIndex has it). */
export type ScopeGraph = {
  sourceId: string;
  incoming(nodeId: string): readonly ScopeEdge[];
  loopOf(nodeId: string): string | null;
  joinMode(nodeId: string): JoinMode;
  typeOf(nodeId: string): string;
};

/** A node's state in an iteration: its block row's status and, once completed, its output. */
export type NodeState = { status: BlockExecutionStatus; output?: unknown };

export type ScopeInput = {
  graph: ScopeGraph;
  /** The nodes of this scope. */
  nodeIds: readonly string[];
  /** The loop whose body this is (null at the top level), its iteration path and entry value. */
  loopId: string | null;
  iteration: string;
  entry: unknown;
  /** The run's input (the source block's). */
  runInput: unknown;
  state(nodeId: string, iteration: string): NodeState | undefined;
  /** Started by the runner and not settled yet. */
  inFlight(nodeId: string): boolean;
};

export type ScopePlan = {
  ready: Array<{ nodeId: string; input: unknown }>;
  skip: Array<{ nodeId: string; reason: string }>;
};

/**
 * A node with no parents is ready (the source with the run input, a loop body's entry node with the
 * entry). A node with parents joins by its mode: `all` waits until no parent can still arrive and runs
 * with the ones that did (unchosen router branches and skipped parents do not arrive); `any`/`first`
 * run as soon as one arrives (`first` with that one only). Its input is its single parent's output, or
 * an object keyed by parent id. A node that nothing can reach any more is skipped.
 */
export function planScope(input: ScopeInput): ScopePlan {
  const { graph, loopId, iteration, entry } = input;
  const ready: ScopePlan["ready"] = [];
  const skip: ScopePlan["skip"] = [];
  for (const nodeId of input.nodeIds) {
    const own = input.state(nodeId, iteration);
    if (input.inFlight(nodeId) || (own && own.status !== "pending" && own.status !== "running")) continue;
    const incoming = graph.incoming(nodeId);
    if (incoming.length === 0) {
      ready.push({ nodeId, input: nodeId === graph.sourceId ? input.runInput : entry });
      continue;
    }
    const live: Array<{ from: string; value: unknown }> = [];
    let pending = 0;
    for (const edge of incoming) {
      if (edge.source === loopId && edge.sourceHandle === LOOP_BODY_HANDLE) {
        live.push({ from: edge.source, value: entry });
        continue;
      }
      const parent = input.state(edge.source, iterationOf(graph, edge.source, iteration));
      if (!parent || parent.status === "pending" || parent.status === "running") pending++;
      else if (parent.status === "completed") {
        const chosen = graph.typeOf(edge.source) === "router" ? (parent.output as { handle?: string } | null)?.handle : undefined;
        if (chosen === undefined || chosen === edge.sourceHandle) live.push({ from: edge.source, value: parent.output });
      }
    }
    const mode = graph.joinMode(nodeId);
    const canStart = mode === "all" ? pending === 0 && live.length > 0 : live.length > 0;
    if (canStart) {
      const inputs = mode === "first" ? live.slice(0, 1) : live;
      const value = incoming.length === 1 || (inputs.length === 1 && mode === "first") ? inputs[0]!.value : Object.fromEntries(inputs.map((l) => [l.from, l.value]));
      ready.push({ nodeId, input: value });
    } else if (pending === 0) {
      skip.push({ nodeId, reason: "no branch leads here" });
    }
  }
  return { ready, skip };
}

/** The iteration path of a node seen from inside `iteration` (outer nodes live in a prefix). */
export function iterationOf(graph: Pick<ScopeGraph, "loopOf">, nodeId: string, iteration: string): string {
  let depth = 0;
  for (let loop = graph.loopOf(nodeId); loop; loop = graph.loopOf(loop)) depth++;
  return iteration ? iteration.split(".").slice(0, depth).join(".") : "";
}
