"use client";

import "@xyflow/react/dist/style.css";
import { memo, useCallback, useEffect, useMemo, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import {
  applyNodeChanges,
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  type DefaultEdgeOptions,
  type Edge,
  type NodeChange,
  type NodeTypes,
} from "@xyflow/react";
import { Ban } from "lucide-react";
import { createStore, useStore, type StoreApi } from "zustand";
import { blockTypes } from "@weft/flow";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useTRPC, type RouterOutputs } from "@/trpc/client";
import { isActive } from "@weft/flow";
import { formatCost, formatTokens } from "@/features/executions/format";
import { RunTime } from "@/features/executions/run-time";
import { StatusBadge } from "@/features/executions/status-badge";
import { withStoredBlocks, type StepState } from "@/features/executions/timeline-state";
import { toCanvas } from "@/features/flow-builder/store";
import { LiveNode } from "./live-node";
import {
  applyFlows,
  applyRuns,
  nodeRuns,
  runTotals,
  type BaseNode,
  type LiveFlowEdge,
  type LiveFlowNode,
  type NodeRun,
  type NodeRunStatus,
  type RunTotals,
} from "./run-view";

export type LiveRun = RouterOutputs["executions"]["byId"];

// Module scope (React Flow re-renders every node when these change identity).
const nodeTypes: NodeTypes = Object.fromEntries(blockTypes.map((type) => [type, LiveNode]));
const defaultEdgeOptions: DefaultEdgeOptions = { type: "smoothstep" };
const fitViewOptions = { maxZoom: 1 };
const emptyGraph = { nodes: [], edges: [] };
const minimapColors: Record<NodeRunStatus, string> = {
  pending: "var(--border)",
  running: "oklch(0.852 0.199 91.936)", // yellow-400
  waiting: "var(--warning)",
  completed: "var(--success)",
  failed: "var(--destructive)",
  skipped: "var(--muted)",
};
const minimapColor = (node: LiveFlowNode) => minimapColors[node.data.run.status];

type Base = { nodes: BaseNode[]; edges: Edge[] };
type CanvasState = {
  base: Base;
  nodes: LiveFlowNode[];
  edges: LiveFlowEdge[];
  onNodesChange: (changes: NodeChange<LiveFlowNode>[]) => void;
  sync: (base: Base, runs: ReadonlyMap<string, NodeRun>) => void;
};

const unchanged = <T,>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((item, i) => item === b[i]);

/**
 * The canvas state in one store: React Flow measures the nodes here (dimension changes), and `sync`
 * lays the latest runs over them, keeping every node and edge whose run did not change.
 */
function createCanvasStore(base: Base, runs: ReadonlyMap<string, NodeRun>): StoreApi<CanvasState> {
  return createStore<CanvasState>()((set) => ({
    base,
    nodes: applyRuns(base.nodes, runs),
    edges: applyFlows(base.edges, runs),
    onNodesChange: (changes) => set((s) => ({ nodes: applyNodeChanges(changes, s.nodes) })),
    sync: (next, nextRuns) =>
      set((s) => {
        const sameGraph = s.base === next;
        const nodes = applyRuns(sameGraph ? s.nodes : next.nodes, nextRuns);
        const edges = applyFlows(sameGraph ? s.edges : next.edges, nextRuns);
        return {
          base: next,
          nodes: sameGraph && unchanged(nodes, s.nodes) ? s.nodes : nodes,
          edges: sameGraph && unchanged(edges, s.edges) ? s.edges : edges,
        };
      }),
  }));
}

/**
 * The live view of a run: its graph, read-only, each node coloured by its status as the events
 * arrive (the same block look as the builder), edges animated while data flows, and a bar with
 * progress, elapsed time, tokens, cost and (when `cancel` is given and the run is active) Cancel.
 */
export function LiveCanvas({
  run,
  steps,
  status,
  cancel,
  onNodeClick,
  className,
}: {
  run: LiveRun;
  /** The run's steps as its events describe them (timeline state). */
  steps: readonly StepState[];
  /** The run's status to show. */
  status: string;
  /** For roles that may act: offers Cancel while the run is active. */
  cancel?: { workspaceId: string; onCancelled: () => void } | null;
  /** Called with a node's id when it is clicked, or on Enter while it has focus. */
  onNodeClick?: (nodeId: string) => void;
  className?: string;
}) {
  const base = useMemo<Base>(() => toCanvas(run.graph ?? emptyGraph), [run.graph]);
  const merged = useMemo(() => withStoredBlocks(steps, run.blocks), [steps, run.blocks]);
  const runs = useMemo(() => nodeRuns(merged), [merged]);
  const nodeIds = useMemo(() => base.nodes.map((n) => n.id), [base.nodes]);
  const totals = useMemo(() => runTotals(nodeIds, runs, merged, run.metrics), [nodeIds, runs, merged, run.metrics]);

  const [store] = useState(() => createCanvasStore(base, runs));
  useEffect(() => store.getState().sync(base, runs), [store, base, runs]);

  return (
    <section aria-label="Live canvas" data-testid="live-canvas" className={cn("flex min-h-80 flex-col overflow-hidden rounded-lg border border-border", className)}>
      <div className="relative min-h-0 flex-1">
        <ReactFlowProvider>
          <Canvas store={store} onNodeClick={onNodeClick} />
        </ReactFlowProvider>
      </div>
      <LiveBar executionId={run.id} run={run} status={status} totals={totals} cancel={cancel ?? null} />
    </section>
  );
}

function Canvas({ store, onNodeClick }: { store: StoreApi<CanvasState>; onNodeClick?: (nodeId: string) => void }) {
  const nodes = useStore(store, (s) => s.nodes);
  const edges = useStore(store, (s) => s.edges);
  const onNodesChange = useStore(store, (s) => s.onNodesChange);
  const onClick = useCallback((_: unknown, node: { id: string }) => onNodeClick?.(node.id), [onNodeClick]);
  // Keyboard path: Enter or Space on a focused node does what a click does.
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (!onNodeClick || (event.key !== "Enter" && event.key !== " ")) return;
    const id = (event.target as HTMLElement).closest<HTMLElement>(".react-flow__node")?.dataset.id;
    if (!id) return;
    event.preventDefault();
    onNodeClick(id);
  };
  return (
    <ReactFlow
      onNodeClick={onNodeClick ? onClick : undefined}
      onKeyDown={onKeyDown}
      nodesFocusable={Boolean(onNodeClick)}
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      defaultEdgeOptions={defaultEdgeOptions}
      onNodesChange={onNodesChange}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      edgesFocusable={false}
      deleteKeyCode={null}
      fitView
      fitViewOptions={fitViewOptions}
    >
      <Background />
      <MiniMap pannable zoomable nodeColor={minimapColor} />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}

/** Progress, elapsed time (ticking while the run is active), tokens, cost and Cancel. */
const LiveBar = memo(function LiveBar({
  executionId,
  run,
  status,
  totals,
  cancel,
}: {
  executionId: string;
  run: LiveRun;
  status: string;
  totals: RunTotals;
  cancel: { workspaceId: string; onCancelled: () => void } | null;
}) {
  const active = isActive(status);
  const percent = totals.total > 0 ? Math.round((totals.done / totals.total) * 100) : 0;
  return (
    <div data-testid="live-bar" className="flex flex-wrap items-center gap-x-6 gap-y-2 border-t border-border bg-muted/40 px-4 py-2 text-sm">
      <span data-testid="live-status" data-status={status}>
        <StatusBadge status={status} />
      </span>
      <div className="flex items-center gap-2">
        <div
          role="progressbar"
          aria-label="Nodes done"
          aria-valuemin={0}
          aria-valuemax={totals.total}
          aria-valuenow={totals.done}
          aria-valuetext={`${totals.done} of ${totals.total} nodes`}
          className="h-2 w-32 overflow-hidden rounded-full bg-border"
        >
          <div className="h-full rounded-full bg-success transition-[width]" style={{ width: `${percent}%` }} />
        </div>
        <span className="tabular-nums">
          <span data-testid="live-progress">
            {totals.done}/{totals.total}
          </span>{" "}
          <span className="text-muted-foreground">nodes</span>
        </span>
      </div>
      <Stat label="Active time" testId="live-elapsed-stat">
        <RunTime timing={run.timing} testId="live-elapsed" compact />
      </Stat>
      <Stat label="Tokens" testId="live-tokens">
        {formatTokens(totals.tokens)}
      </Stat>
      <Stat label="Cost" testId="live-cost">
        {formatCost(totals.costUsd)}
      </Stat>
      {cancel && active ? <CancelRun workspaceId={cancel.workspaceId} executionId={executionId} onCancelled={cancel.onCancelled} /> : null}
    </div>
  );
});

function Stat({ label, testId, children }: { label: string; testId: string; children: React.ReactNode }) {
  return (
    <span className="flex items-baseline gap-1.5">
      <span className="text-xs text-muted-foreground">{label}</span>
      <span data-testid={testId} className="tabular-nums">
        {children}
      </span>
    </span>
  );
}

function CancelRun({ workspaceId, executionId, onCancelled }: { workspaceId: string; executionId: string; onCancelled: () => void }) {
  const trpc = useTRPC();
  const [confirming, setConfirming] = useState(false);
  const cancel = useMutation(
    trpc.executions.cancel.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        onCancelled();
      },
    }),
  );
  return (
    <>
      <Button type="button" variant="destructive-outline" size="sm" className="ml-auto" onClick={() => setConfirming(true)}>
        <Ban aria-hidden />
        Cancel run
      </Button>
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Cancel this run?"
        description="The step in progress is stopped and nothing after it runs."
        confirmLabel="Cancel run"
        pending={cancel.isPending}
        error={cancel.error?.message}
        onConfirm={() => cancel.mutate({ workspaceId, executionId })}
      />
    </>
  );
}
