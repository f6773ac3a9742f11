"use client";

import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { cn } from "@/components/ui/cn";
import { isTerminal } from "@weft/flow";
import { useTRPC } from "@/trpc/client";
import { ArtifactsPanel } from "./artifacts-panel";
import { CommentsThread } from "./comments-thread";
import { RunLabels } from "./run-labels";
import { StepLogs } from "./step-logs";

export type RunStepNode = { id: string; label: string };

const tabs = [
  { id: "comments", label: "Comments" },
  { id: "files", label: "Files" },
  { id: "steps", label: "Step logs" },
] as const;
type Tab = (typeof tabs)[number]["id"];

/**
 * A run as a shared workspace, under the execution's timeline: its name and tags, a comments thread
 * (run and per step), its files (drag and drop, previews), the step logs and "Re-run from here".
 * Viewers read; members comment, upload, rename and re-run.
 */
export function RunCollab({
  workspaceId,
  executionId,
  nodes,
  canAct,
}: {
  workspaceId: string;
  executionId: string;
  /** The run's graph nodes, for step pickers. */
  nodes: RunStepNode[];
  canAct: boolean;
}) {
  const [tab, setTab] = useState<Tab>("comments");
  const trpc = useTRPC();
  // The run's status (re-runs start from ended runs), refreshed until it has ended.
  const run = useQuery({
    ...trpc.executions.byId.queryOptions({ workspaceId, executionId }),
    refetchInterval: (query) => (query.state.data && isTerminal(query.state.data.status) ? false : 2000),
  });
  const ended = run.data ? isTerminal(run.data.status) : false;
  return (
    <section className="flex flex-col gap-3 rounded-lg border border-border bg-card p-4" data-testid="run-collab" aria-label="Run workspace">
      <RunLabels workspaceId={workspaceId} executionId={executionId} canAct={canAct} />
      <div role="tablist" aria-label="Run workspace" className="flex gap-1 border-b border-border">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            onClick={() => setTab(t.id)}
            className={cn(
              "-mb-px border-b-2 px-3 py-1.5 text-sm font-medium",
              tab === t.id ? "border-primary text-foreground" : "border-transparent text-muted-foreground hover:text-foreground",
            )}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === "comments" ? <CommentsThread workspaceId={workspaceId} executionId={executionId} nodes={nodes} canAct={canAct} /> : null}
        {tab === "files" ? <ArtifactsPanel workspaceId={workspaceId} executionId={executionId} nodes={nodes} canAct={canAct} /> : null}
        {tab === "steps" ? <StepLogs workspaceId={workspaceId} executionId={executionId} nodes={nodes} canAct={canAct} ended={ended} /> : null}
      </div>
    </section>
  );
}
