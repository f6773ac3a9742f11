"use client";

import { memo, useCallback, useEffect, useMemo, useState } from "react";
import Link from "next/link";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ChevronRight, Radio, Workflow } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { useTRPC, type RouterOutputs } from "@/trpc/client";
import { blockTitle } from "@/features/flow-builder/blocks";
import { LiveCanvas } from "@/features/live-canvas/live-canvas";
import { isDecisionBlock, StepFeedback } from "@/features/decisions/step-feedback";
import { runTotals } from "@/features/live-canvas/run-view";
import { ExecutionActions } from "./execution-actions";
import { displayStatus, formatCost, formatTokens, triggerLabel } from "./format";
import { RawEventList } from "./raw-event-list";
import { builderUrl, RunFailure } from "./run-failure";
import { RUN_TIME_NOTE, RunTime } from "./run-time";
import { StatusBadge } from "./status-badge";
import { Json, StepCard } from "./step-card";
import { StepList } from "./step-list";
import { stepKey, withStoredBlocks, type TimelineState } from "./timeline-state";
import { useExecutionStream } from "./use-execution-stream";

export type ExecutionDetail = RouterOutputs["executions"]["byId"];
type BlockRow = ExecutionDetail["blocks"][number];

/** One run: header with metrics and actions, a card per step, the live stream, the output and every raw event. */
export function ExecutionTimeline({ workspaceId, initial, canAct }: { workspaceId: string; initial: ExecutionDetail; canAct: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const executionId = initial.id;
  const detailQuery = useQuery(trpc.executions.byId.queryOptions({ workspaceId, executionId }, { initialData: initial }));
  const detail = detailQuery.data;
  const [generation, setGeneration] = useState(0);
  const stream = useExecutionStream(executionId, generation);
  const { timeline } = stream;

  const refetch = useCallback(
    () => queryClient.invalidateQueries({ queryKey: trpc.executions.byId.queryKey({ workspaceId, executionId }) }),
    [queryClient, trpc, workspaceId, executionId],
  );

  // The stream finished: the stored run (metrics, block inputs) is final now.
  useEffect(() => {
    if (stream.done) void refetch();
  }, [stream.done, refetch]);
  // Pauses, resumes and approvals change what the header offers: re-read the run.
  useEffect(() => {
    if (timeline.status) void refetch();
  }, [timeline.status, timeline.approval, refetch]);

  // An action resumed a run whose stream had ended: follow it again (from the last index).
  const onChanged = useCallback(() => {
    void refetch().then(() => {
      if (stream.done) setGeneration((g) => g + 1);
    });
  }, [refetch, stream.done]);

  const status = displayStatus(timeline.status, detail.status, stream.done);
  const awaitingApproval = status === "paused" && timeline.approval !== null;
  const output = timeline.output ?? (detail.status === "completed" ? { value: detail.output } : null);
  const error = timeline.error ?? (detail.status === "failed" ? detail.error : null);

  const blocks = new Map<string, BlockRow>();
  for (const b of detail.blocks) blocks.set(stepKey(b.nodeId, b.iteration), b);
  const steps = withStoredBlocks(timeline.steps, detail.blocks);
  // Tokens and cost as the live bar sums them (the stored totals are written when the run ends).
  const totals = runTotals([], new Map(), steps, detail.metrics);
  const titles = useMemo(() => nodeTitles(detail.graph), [detail.graph]);
  const titleOf = (nodeId: string) => titles.get(nodeId) ?? nodeId;
  const flowDeleted = detail.flowName == null;

  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-4">
        <nav aria-label="Breadcrumb" className="text-sm text-muted-foreground">
          <Link href={`/w/${workspaceId}/executions`} className="hover:underline">
            Executions
          </Link>
          <ChevronRight className="mx-1 inline size-3.5" aria-hidden />
          <span className="font-mono text-xs">{executionId.slice(0, 8)}</span>
        </nav>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">{detail.flowName ?? "Deleted flow"}</h1>
          <span data-testid="execution-status" data-status={status} data-awaiting-approval={awaitingApproval || undefined}>
            <StatusBadge status={awaitingApproval ? "waiting" : status} />
          </span>
          {stream.connection === "reconnecting" ? (
            <span className="text-xs text-muted-foreground" role="status">
              Reconnecting…
            </span>
          ) : null}
          {stream.connection === "live" && !stream.done ? (
            <span className="inline-flex items-center gap-1 text-xs text-muted-foreground">
              <Radio className="size-3.5" aria-hidden /> Live
            </span>
          ) : null}
          {!flowDeleted ? (
            <Link href={builderUrl(workspaceId, detail.flowId)} className="ml-auto inline-flex items-center gap-1.5 text-sm font-medium underline-offset-4 hover:underline" data-testid="open-flow">
              <Workflow className="size-4" aria-hidden />
              Open flow
            </Link>
          ) : null}
        </div>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-3 lg:grid-cols-6">
          <Metric label="Trigger">{triggerLabel(detail.triggerType)}</Metric>
          <Metric label="Started">
            <LocalTime value={detail.startedAt ?? detail.createdAt} />
          </Metric>
          <Metric label="Active time" note={RUN_TIME_NOTE}>
            <RunTime timing={detail.timing} testId="execution-active-time" />
          </Metric>
          <Metric label="Tokens">
            <span data-testid="execution-tokens">{formatTokens(totals.tokens)}</span>
          </Metric>
          <Metric label="Cost">
            <span data-testid="execution-cost">{formatCost(totals.costUsd)}</span>
          </Metric>
          <Metric label="Events">{stream.events.length}</Metric>
        </dl>
        {awaitingApproval && timeline.approval ? (
          <Alert variant="warning" title={`Waiting for approval at “${titleOf(timeline.approval.nodeId)}”`}>
            <span data-testid="approval-question">{timeline.approval.message ?? "This step needs an approval to continue."}</span>
          </Alert>
        ) : null}
        {canAct ? (
          <ExecutionActions
            workspaceId={workspaceId}
            executionId={executionId}
            status={status}
            pauseReason={timeline.pauseReason}
            awaitingApproval={awaitingApproval}
            onChanged={onChanged}
          />
        ) : null}
      </header>

      {error ? (
        <RunFailure workspaceId={workspaceId} flowId={detail.flowId} error={error} title={error.nodeId ? titleOf(error.nodeId) : null} flowDeleted={flowDeleted} />
      ) : null}

      <LiveCanvas run={detail} steps={steps} status={status} className="h-[440px]" />

      {output ? (
        <Card>
          <CardHeader>
            <CardTitle>Output</CardTitle>
          </CardHeader>
          <CardContent>
            <Json value={output.value} testId="execution-output" />
          </CardContent>
        </Card>
      ) : null}

      <section aria-labelledby="steps-heading" className="flex flex-col gap-3">
        <h2 id="steps-heading" className="text-base font-semibold">
          Steps
        </h2>
        {steps.length === 0 ? <p className="text-sm text-muted-foreground">No step has started yet.</p> : (
          <StepList steps={steps}>
            {(step) => (
              <>
                <StepCard step={step} block={blocks.get(step.key)} title={titleOf(step.nodeId)} />
                {step.status === "completed" && isDecisionBlock(step.blockType) ? (
                  <StepFeedback workspaceId={workspaceId} executionId={executionId} nodeId={step.nodeId} iteration={step.iteration} canEdit={canAct} />
                ) : null}
              </>
            )}
          </StepList>
        )}
      </section>

      <StreamViewer stream={timeline.stream} />

      <section aria-labelledby="events-heading" className="flex flex-col gap-3">
        <h2 id="events-heading" className="text-base font-semibold">
          Raw events <span className="text-sm font-normal text-muted-foreground">({stream.events.length})</span>
        </h2>
        <RawEventList events={stream.events} />
      </section>
    </div>
  );
}

/** Each node's title (its label, else its block's name) in the run's pinned graph. */
function nodeTitles(graph: unknown): Map<string, string> {
  const titles = new Map<string, string>();
  const nodes = (graph as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return titles;
  for (const n of nodes as Array<{ id?: unknown; type?: unknown; data?: { label?: unknown } }>) {
    if (typeof n.id !== "string") continue;
    titles.set(n.id, blockTitle(typeof n.data?.label === "string" ? n.data.label : undefined, typeof n.type === "string" ? n.type : ""));
  }
  return titles;
}

function Metric({ label, note, children }: { label: string; note?: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col">
      <dt className="text-xs text-muted-foreground" title={note}>
        {label}
      </dt>
      <dd className="tabular-nums">{children}</dd>
    </div>
  );
}

/** AI deltas and console logs as they arrive. */
const StreamViewer = memo(function StreamViewer({ stream }: { stream: TimelineState["stream"] }) {
  if (stream.length === 0) return null;
  const recent = stream.length > 500 ? stream.slice(-500) : stream;
  return (
    <section aria-labelledby="stream-heading" className="flex flex-col gap-3">
      <h2 id="stream-heading" className="text-base font-semibold">
        Live output
      </h2>
      <pre data-testid="stream-viewer" className="max-h-72 overflow-auto rounded-md border border-border bg-muted/40 p-3 font-mono text-xs whitespace-pre-wrap">
        {recent.map((chunk, i) => {
          const prev = recent[i - 1];
          const header = !prev || prev.nodeId !== chunk.nodeId || prev.kind !== chunk.kind;
          return (
            <span key={`${chunk.index}:${i}`} className={chunk.kind === "log" ? "text-muted-foreground" : undefined}>
              {header ? `${i > 0 ? "\n" : ""}[${chunk.nodeId}${chunk.kind === "log" ? " log" : ""}] ` : ""}
              {chunk.text}
              {chunk.kind === "log" ? "\n" : ""}
            </span>
          );
        })}
      </pre>
    </section>
  );
});
