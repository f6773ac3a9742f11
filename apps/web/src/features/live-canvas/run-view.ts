import type { Edge, Node } from "@xyflow/react";
import type { StepState } from "../executions/timeline-state";
import { blockTitle } from "../flow-builder/blocks";

/**
 * The live view of a run, derived from its steps (events) and stored block rows: one status per
 * canvas node (loop body nodes aggregate their iterations), edge flow, progress, tokens and cost.
 * Pure functions; the node and edge objects are reused while nothing they show changed, so a stream
 * of events re-renders only the nodes it touches.
 */

export const nodeRunStatuses = ["pending", "running", "waiting", "completed", "failed", "skipped"] as const;
export type NodeRunStatus = (typeof nodeRunStatuses)[number];

/** What a canvas node shows of the run. Flat and primitive, so "unchanged" is a shallow compare. */
export type NodeRun = {
  status: NodeRunStatus;
  /** Summed over completed iterations; null until one completed. */
  durationMs: number | null;
  /** How many loop iterations of this node have started (0 outside a loop body). */
  iterations: number;
  /** The first failure's message (with its iteration in a loop body). */
  error: string | null;
};

export const pendingRun: NodeRun = { status: "pending", durationMs: null, iterations: 0, error: null };

/** The part of a step the live view reads (see withStoredBlocks for the steps of stored block rows). */
export type RunStep = Pick<StepState, "key" | "nodeId" | "iteration" | "status" | "durationMs" | "error" | "metrics">;

const errorText = (error: RunStep["error"]) => error?.message ?? error?.code ?? "Failed";

/**
 * One status per node: running if any iteration runs, else waiting (approval), else failed if any
 * failed, else skipped when all were skipped, completed when one completed, pending otherwise.
 */
export function nodeRuns(steps: readonly RunStep[]): Map<string, NodeRun> {
  const byNode = new Map<string, RunStep[]>();
  for (const step of steps) {
    const list = byNode.get(step.nodeId);
    if (list) list.push(step);
    else byNode.set(step.nodeId, [step]);
  }
  const runs = new Map<string, NodeRun>();
  for (const [nodeId, list] of byNode) {
    const has = (status: NodeRunStatus) => list.some((s) => s.status === status);
    const status: NodeRunStatus = has("running")
      ? "running"
      : has("waiting")
        ? "waiting"
        : has("failed")
          ? "failed"
          : list.every((s) => s.status === "skipped")
            ? "skipped"
            : has("completed")
              ? "completed"
              : "pending";
    let durationMs: number | null = null;
    for (const s of list) if (s.status === "completed" && s.durationMs != null) durationMs = (durationMs ?? 0) + s.durationMs;
    const failed = list.find((s) => s.status === "failed");
    const error = failed ? `${failed.iteration != null ? `Iteration ${failed.iteration}: ` : ""}${errorText(failed.error)}` : null;
    runs.set(nodeId, { status, durationMs, iterations: list.filter((s) => s.iteration != null).length, error });
  }
  return runs;
}

export type RunTotals = { done: number; total: number; tokens: number | null; costUsd: number | null };

/**
 * Progress (nodes completed or skipped / all nodes) and the run's tokens and cost summed from its
 * steps' metrics (steps without metrics, such as functions, cost nothing); cost is unknown (null)
 * when a step used tokens without a known price, as the engine sums it. Before any step is known,
 * the stored execution metrics stand in.
 */
export function runTotals(
  nodeIds: readonly string[],
  runs: ReadonlyMap<string, NodeRun>,
  steps: readonly RunStep[],
  stored: { tokens: number | null; costUsd: number | null },
): RunTotals {
  let done = 0;
  for (const id of nodeIds) {
    const status = runs.get(id)?.status;
    if (status === "completed" || status === "skipped") done += 1;
  }
  let tokens = 0;
  let cost = 0;
  let costKnown = true;
  for (const step of steps) {
    const m = step.metrics;
    if (!m) continue;
    const used = (m.tokensIn ?? 0) + (m.tokensOut ?? 0);
    tokens += used;
    // Events carry the cost as a decimal string, stored rows as a number.
    const stepCost = m.costUsd ?? null;
    if (stepCost == null || Number.isNaN(stepCost)) {
      if (m.tokensIn != null || m.tokensOut != null) costKnown = false;
    } else cost += stepCost;
  }
  if (steps.length === 0) return { done, total: nodeIds.length, tokens: stored.tokens, costUsd: stored.costUsd };
  return { done, total: nodeIds.length, tokens, costUsd: costKnown ? cost : null };
}

export const statusLabels: Record<NodeRunStatus, string> = {
  pending: "Pending",
  running: "Running",
  waiting: "Waiting for approval",
  completed: "Completed",
  failed: "Failed",
  skipped: "Skipped",
};

export type LiveNodeData = { label?: string; config?: unknown; run: NodeRun; [key: string]: unknown };
export type LiveFlowNode = Node<LiveNodeData>;
export type BaseNode = Node<{ label?: string; config?: unknown; [key: string]: unknown }>;
export type EdgeFlow = "idle" | "active" | "done";
export type LiveFlowEdge = Edge<{ flow: EdgeFlow }>;

const sameRun = (a: NodeRun, b: NodeRun) => a.status === b.status && a.durationMs === b.durationMs && a.iterations === b.iterations && a.error === b.error;

function withRun(node: BaseNode, run: NodeRun): LiveFlowNode {
  const title = blockTitle(node.data.label, node.type ?? "");
  return {
    ...node,
    data: { ...node.data, run },
    // The accessible name of the focusable node: what it is, its status and its error.
    ariaLabel: `${title} (${node.id}): ${statusLabels[run.status]}${run.error ? `. Error: ${run.error}` : ""}`,
    // A failed node's error card must overlap its neighbours.
    zIndex: run.status === "failed" ? 10 : 0,
    // React Flow turns pointer events off on nodes that are neither selectable nor draggable; the
    // live view needs hover (the error card).
    style: { ...node.style, pointerEvents: "all" },
  };
}

/**
 * The nodes with their runs. A node whose run did not change keeps its object (and what React Flow
 * measured on it), so a stream of events re-renders only the nodes it touches.
 */
export function applyRuns(nodes: readonly (BaseNode | LiveFlowNode)[], runs: ReadonlyMap<string, NodeRun>): LiveFlowNode[] {
  return nodes.map((node) => {
    const run = runs.get(node.id) ?? pendingRun;
    const current = (node as LiveFlowNode).data.run as NodeRun | undefined;
    return current && sameRun(current, run) ? (node as LiveFlowNode) : withRun(node, run);
  });
}

/** Data flows along an edge while its source has completed and its target runs. */
export function edgeFlow(edge: Pick<Edge, "source" | "target">, runs: ReadonlyMap<string, NodeRun>): EdgeFlow {
  const source = runs.get(edge.source)?.status;
  const target = runs.get(edge.target)?.status;
  if (source !== "completed") return "idle";
  if (target === "running") return "active";
  return target === "completed" ? "done" : "idle";
}

const edgeStyles: Record<EdgeFlow, Edge["style"]> = {
  idle: undefined,
  active: { stroke: "var(--warning)", strokeWidth: 2 },
  done: { stroke: "var(--success)", strokeWidth: 2 },
};

/** The edges, animated while data flows along them; an edge whose flow did not change keeps its object. */
export function applyFlows(edges: readonly (Edge | LiveFlowEdge)[], runs: ReadonlyMap<string, NodeRun>): LiveFlowEdge[] {
  return edges.map((edge) => {
    const flow = edgeFlow(edge, runs);
    if ((edge as LiveFlowEdge).data?.flow === flow) return edge as LiveFlowEdge;
    return { ...edge, animated: flow === "active", style: edgeStyles[flow], data: { ...edge.data, flow } };
  });
}
