"use client";

import { memo, useCallback, useEffect, useState } from "react";
import Link from "next/link";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ChevronRight, Radio } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { LocalTime } from "@/components/ui/local-time";
import { useTRPC, type RouterOutputs } from "@/trpc/client";
import { LiveCanvas } from "@/features/live-canvas/live-canvas";
import { ExecutionActions } from "./execution-actions";
import { isActive } from "@weft/flow";
import { displayStatus, formatCost, formatDuration, formatTokens, triggerLabel } from "./format";
import { RawEventList } from "./raw-event-list";
import { StatusBadge, StatusIcon } from "./status-badge";
import { StepList } from "./step-list";
import { stepKey, withStoredBlocks, type StepState, type TimelineState } from "./timeline-state";
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
  const output = timeline.output ?? (detail.status === "completed" ? { value: detail.output } : null);
  const error = timeline.error ?? (detail.status === "failed" ? (detail.error) : null);

  const blocks = new Map<string, BlockRow>();
  for (const b of detail.blocks) blocks.set(stepKey(b.nodeId, b.iteration), b);
  const steps = withStoredBlocks(timeline.steps, detail.blocks);

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
          <span data-testid="execution-status" data-status={status}>
            <StatusBadge status={status} />
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
        </div>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-3 lg:grid-cols-6">
          <Metric label="Trigger">{triggerLabel(detail.triggerType)}</Metric>
          <Metric label="Started">
            <LocalTime value={detail.startedAt ?? detail.createdAt} />
          </Metric>
          <Metric label="Duration">{isActive(status) && detail.metrics.durationMs == null ? "running…" : formatDuration(detail.metrics.durationMs)}</Metric>
          <Metric label="Tokens">{formatTokens(detail.metrics.tokens)}</Metric>
          <Metric label="Cost">{formatCost(detail.metrics.costUsd)}</Metric>
          <Metric label="Events">{stream.events.length}</Metric>
        </dl>
        {canAct ? (
          <ExecutionActions
            workspaceId={workspaceId}
            executionId={executionId}
            status={status}
            pauseReason={timeline.pauseReason}
            awaitingApproval={status === "paused" && timeline.approval !== null}
            onChanged={onChanged}
          />
        ) : null}
        {status === "paused" && timeline.approval ? (
          <Alert variant="warning" title="Waiting for approval">
            {timeline.approval.message ?? `Step ${timeline.approval.nodeId} needs an approval to continue.`}
          </Alert>
        ) : null}
      </header>

      <LiveCanvas run={detail} steps={timeline.steps} status={status} className="h-[440px]" />

      {error ? (
        <Alert variant="error" title={`Run failed${error.nodeId ? ` at ${error.nodeId}` : ""}`}>
          <span data-testid="execution-error">{error.message ?? error.code}</span>
        </Alert>
      ) : null}
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
          <StepList steps={steps}>{(step) => <StepCard step={step} block={blocks.get(step.key)} />}</StepList>
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

function Metric({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="tabular-nums">{children}</dd>
    </div>
  );
}

const isAiBlock = (type: string | null) => type === "ai" || type === "llm" || (type?.startsWith("ai") ?? false);

/** One node execution: status icon, duration, attempts; input, output and error on demand. */
const StepCard = memo(function StepCard({ step, block }: { step: StepState; block: BlockRow | undefined }) {
  const failed = step.status === "failed";
  const metrics = step.metrics ?? block?.metrics ?? null;
  const showAi = isAiBlock(step.blockType) || (metrics?.tokensIn ?? 0) + (metrics?.tokensOut ?? 0) > 0;
  return (
    <div
      data-testid="node-card"
      data-node-id={step.nodeId}
      data-iteration={step.iteration ?? ""}
      data-status={step.status}
      className={cn("rounded-lg border bg-card text-sm shadow-xs", failed ? "border-destructive/60 bg-destructive/5" : "border-border")}
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2.5">
        <StatusIcon status={step.status} />
        <span className="font-medium">{step.nodeId}</span>
        {step.iteration != null ? <span className="text-xs text-muted-foreground">iteration {step.iteration}</span> : null}
        {step.blockType ? <span className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs text-muted-foreground">{step.blockType}</span> : null}
        <span className="ml-auto flex items-center gap-3 text-xs text-muted-foreground tabular-nums">
          {showAi && metrics ? (
            <>
              <span>{formatTokens((metrics.tokensIn ?? 0) + (metrics.tokensOut ?? 0))} tokens</span>
              <span>{formatCost(metrics.costUsd)}</span>
              {metrics.ttftMs != null ? <span>TTFT {formatDuration(metrics.ttftMs)}</span> : null}
            </>
          ) : null}
          {step.attempt > 1 ? <span>attempt {step.attempt}</span> : null}
          <span>{formatDuration(step.durationMs ?? block?.metrics.durationMs)}</span>
        </span>
      </div>
      {failed && step.error ? (
        <p className="border-t border-destructive/30 px-4 py-2 text-destructive" data-testid="node-error">
          {step.error.code ? <span className="mr-2 font-mono text-xs">{step.error.code}</span> : null}
          {step.error.message}
        </p>
      ) : null}
      {step.skippedReason ? <p className="border-t border-border px-4 py-2 text-muted-foreground">Skipped: {step.skippedReason}</p> : null}
      {step.text ? <pre className="max-h-48 overflow-auto border-t border-border px-4 py-2 font-mono text-xs whitespace-pre-wrap">{step.text}</pre> : null}
      <details className="border-t border-border px-4 py-2">
        <summary className="cursor-pointer text-xs text-muted-foreground select-none">Details</summary>
        <div className="mt-2 grid gap-3 md:grid-cols-2">
          <div>
            <h3 className="mb-1 text-xs font-medium text-muted-foreground">Input</h3>
            <Json value={block?.input} />
          </div>
          <div>
            <h3 className="mb-1 text-xs font-medium text-muted-foreground">{failed ? "Error" : "Output"}</h3>
            <Json value={failed ? step.error : (step.output ?? block?.output)} />
          </div>
        </div>
        {step.logs.length ? (
          <div className="mt-3">
            <h3 className="mb-1 text-xs font-medium text-muted-foreground">Logs</h3>
            <pre className="max-h-48 overflow-auto rounded bg-muted p-2 font-mono text-xs">{step.logs.join("\n")}</pre>
          </div>
        ) : null}
      </details>
    </div>
  );
});

const Json = memo(function Json({ value, testId }: { value: unknown; testId?: string }) {
  const text = value === undefined ? "—" : JSON.stringify(value, null, 2);
  return (
    <pre data-testid={testId} className="max-h-72 overflow-auto rounded-md bg-muted p-2 font-mono text-xs whitespace-pre-wrap">
      {text}
    </pre>
  );
});

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
