"use client";

import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { RotateCcw } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { useTRPC } from "@/trpc/client";
import { RerunDialog } from "./rerun-dialog";
import type { RunStepNode } from "./run-collab";

const logTypes = ["summary", "input", "output", "events", "console"] as const;
type LogType = (typeof logTypes)[number];

function LogView({ workspaceId, executionId, nodeId, iteration, type }: { workspaceId: string; executionId: string; nodeId: string; iteration: string; type: LogType }) {
  const trpc = useTRPC();
  const logs = useQuery(trpc.steps.logs.queryOptions({ workspaceId, executionId, nodeId, iteration, type }));
  if (logs.error) return <p role="alert" className="text-sm text-destructive">{logs.error.message}</p>;
  if (!logs.data) return <p className="text-sm text-muted-foreground">Loading…</p>;
  const content = logs.data.content;
  const text =
    type === "summary"
      ? (content as { text: string }).text
      : type === "console"
        ? (content as Array<{ level: string; message: string }>).map((l) => `[${l.level}] ${l.message}`).join("\n") || "(no console output)"
        : JSON.stringify(content, null, 2);
  return <pre className="max-h-80 overflow-auto rounded bg-muted p-2 text-xs" data-testid="step-log">{text}</pre>;
}

/**
 * The run's steps (one row per node execution: status, attempt, iteration, duration, reused) with log
 * tabs (summary, input, output, events, console) and "Re-run from here" on every step.
 */
export function StepLogs({ workspaceId, executionId, nodes, canAct, ended }: { workspaceId: string; executionId: string; nodes: RunStepNode[]; canAct: boolean; ended: boolean }) {
  const trpc = useTRPC();
  const steps = useQuery(trpc.steps.list.queryOptions({ workspaceId, executionId }));
  const [selected, setSelected] = useState<{ nodeId: string; iteration: string } | null>(null);
  const [type, setType] = useState<LogType>("summary");
  const [rerunFrom, setRerunFrom] = useState<string | null>(null);
  const labelOf = (nodeId: string) => nodes.find((n) => n.id === nodeId)?.label ?? nodeId;

  return (
    <div className="flex flex-col gap-3" data-testid="step-logs">
      <ol className="flex flex-col divide-y divide-border rounded-md border border-border" aria-label="Step rows">
        {steps.data?.steps.length === 0 ? <li className="p-2 text-sm text-muted-foreground">No steps have run yet.</li> : null}
        {steps.data?.steps.map((s) => {
          const isOpen = selected?.nodeId === s.nodeId && selected.iteration === s.iteration;
          return (
            <li key={`${s.nodeId}:${s.iteration}`} data-testid="step-row" data-node-id={s.nodeId}>
              <div className={cn("flex flex-wrap items-center gap-2 p-2 text-sm", isOpen && "bg-accent")}>
                <button type="button" className="font-medium underline-offset-4 hover:underline" onClick={() => setSelected(isOpen ? null : { nodeId: s.nodeId, iteration: s.iteration })}>
                  {labelOf(s.nodeId)}
                </button>
                {s.iteration ? <span className="text-xs text-muted-foreground">iteration {s.iteration}</span> : null}
                <Badge variant={s.status === "completed" ? "success" : s.status === "failed" ? "destructive" : "outline"}>{s.status}</Badge>
                {s.reused ? <Badge variant="outline">reused</Badge> : null}
                <span className="text-xs text-muted-foreground">
                  attempt {s.attempt}
                  {s.metrics.durationMs != null ? ` · ${s.metrics.durationMs} ms` : ""}
                </span>
                {canAct && ended && !s.iteration ? (
                  <Button type="button" size="sm" variant="outline" className="ml-auto" onClick={() => setRerunFrom(s.nodeId)}>
                    <RotateCcw aria-hidden />
                    Re-run from here
                  </Button>
                ) : null}
              </div>
              {isOpen ? (
                <div className="flex flex-col gap-2 p-2">
                  <div role="tablist" aria-label="Log type" className="flex gap-1">
                    {logTypes.map((t) => (
                      <button
                        key={t}
                        type="button"
                        role="tab"
                        aria-selected={type === t}
                        onClick={() => setType(t)}
                        className={cn("rounded px-2 py-1 text-xs font-medium", type === t ? "bg-primary text-primary-foreground" : "hover:bg-accent")}
                      >
                        {t}
                      </button>
                    ))}
                  </div>
                  <LogView workspaceId={workspaceId} executionId={executionId} nodeId={s.nodeId} iteration={s.iteration} type={type} />
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
      {rerunFrom ? (
        <RerunDialog workspaceId={workspaceId} executionId={executionId} fromNodeId={rerunFrom} fromLabel={labelOf(rerunFrom)} onClose={() => setRerunFrom(null)} />
      ) : null}
    </div>
  );
}
