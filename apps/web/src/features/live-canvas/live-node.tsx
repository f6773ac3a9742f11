"use client";

import { memo } from "react";
import type { NodeProps } from "@xyflow/react";
import { cn } from "@/components/ui/cn";
import { formatDuration } from "@/features/executions/format";
import { StatusIcon } from "@/features/executions/status-badge";
import { BlockShell } from "@/features/flow-builder/block-shell";
import { statusLabels, type LiveFlowNode, type NodeRunStatus } from "./run-view";

// pending neutral, running yellow (pulsing), waiting amber, completed green, failed red, skipped grey.
const tones: Record<NodeRunStatus, string> = {
  pending: "border-border",
  running: "border-yellow-500 bg-yellow-50 dark:bg-yellow-400/10",
  waiting: "border-warning bg-warning/15 ring-2 ring-warning/40",
  completed: "border-success bg-success/10",
  failed: "border-destructive bg-destructive/10 ring-2 ring-destructive/30",
  skipped: "border-dashed border-border bg-muted text-muted-foreground opacity-70",
};
const iconTones: Partial<Record<NodeRunStatus, string>> = { running: "text-yellow-600 dark:text-yellow-400" };

/**
 * A block of a run's graph, coloured by its status, with its duration once completed and (failed)
 * its error in a card shown on hover and while the node has keyboard focus (the node's accessible
 * name carries the error too).
 */
function LiveNodeView({ id, type, data }: NodeProps<LiveFlowNode>) {
  const { run } = data;
  return (
    <BlockShell
      id={id}
      type={type}
      label={data.label}
      config={data.config}
      data-testid="live-node"
      data-node-id={id}
      data-status={run.status}
      className={cn("group", tones[run.status])}
      aside={<StatusIcon status={run.status} className={cn("mt-0.5", iconTones[run.status])} />}
    >
      {run.status === "running" ? (
        <span aria-hidden className="pointer-events-none absolute -inset-1 rounded-xl border-2 border-yellow-400 motion-safe:animate-pulse" />
      ) : null}
      <div className="mt-1.5 flex flex-wrap items-center gap-x-2 text-[11px] text-muted-foreground tabular-nums">
        <span className={cn(run.status === "failed" && "font-medium text-destructive")}>{statusLabels[run.status]}</span>
        {run.iterations > 0 ? (
          <span data-testid="live-node-iterations">
            {run.iterations} iteration{run.iterations === 1 ? "" : "s"}
          </span>
        ) : null}
        {run.status === "completed" && run.durationMs != null ? <span data-testid="live-node-duration">{formatDuration(run.durationMs)}</span> : null}
      </div>
      {run.error ? (
        <div
          role="tooltip"
          data-testid="live-node-error"
          className="absolute top-full left-0 z-50 mt-2 hidden w-72 rounded-md border border-destructive/40 bg-card p-2 text-xs whitespace-pre-wrap text-destructive shadow-lg group-hover:block in-focus:block"
        >
          {run.error}
        </div>
      ) : null}
    </BlockShell>
  );
}

export const LiveNode = memo(LiveNodeView);
