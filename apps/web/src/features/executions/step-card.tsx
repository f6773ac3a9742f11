"use client";

import { memo } from "react";
import { cn } from "@/components/ui/cn";
import type { RouterOutputs } from "@/trpc/client";
import { errorHint } from "./error-hints";
import { formatCost, formatDuration, formatTokens } from "./format";
import { StatusIcon } from "./status-badge";
import type { StepState } from "./timeline-state";

type BlockRow = RouterOutputs["executions"]["byId"]["blocks"][number];

const isAiBlock = (type: string | null) => type === "ai" || type === "llm" || (type?.startsWith("ai") ?? false);

/** One node execution: status icon, duration, attempts; input, output and error on demand. */
export const StepCard = memo(function StepCard({ step, block, title }: { step: StepState; block: BlockRow | undefined; title: string }) {
  const failed = step.status === "failed";
  const metrics = step.metrics ?? block?.metrics ?? null;
  const showAi = isAiBlock(step.blockType) || (metrics?.tokensIn ?? 0) + (metrics?.tokensOut ?? 0) > 0;
  // Failed attempts before the current one (a failed step's own failure is shown above).
  const earlier = step.failedAttempts.filter((a) => a.attempt < step.attempt);
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
        <span className="font-medium">{title}</span>
        {title !== step.nodeId ? <span className="font-mono text-xs text-muted-foreground">{step.nodeId}</span> : null}
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
          {step.attempt > 1 ? <span data-testid="node-attempt">attempt {step.attempt}</span> : null}
          <span>{formatDuration(step.durationMs ?? block?.metrics.durationMs)}</span>
        </span>
      </div>
      {failed && step.error ? (
        <div className="border-t border-destructive/30 px-4 py-2" data-testid="node-error">
          <p className="text-destructive">
            {step.error.code ? <span className="mr-2 font-mono text-xs">{step.error.code}</span> : null}
            {step.error.message}
          </p>
          {errorHint(step.error.code) ? <p className="mt-1 text-xs text-muted-foreground">{errorHint(step.error.code)}</p> : null}
        </div>
      ) : null}
      {earlier.length > 0 ? (
        <ol className="border-t border-border px-4 py-2 text-xs text-muted-foreground" aria-label={`Earlier attempts of ${title}`} data-testid="node-attempts">
          {earlier.map((a) => (
            <li key={a.attempt} data-attempt={a.attempt}>
              Attempt {a.attempt} failed{a.error?.code ? ` (${a.error.code})` : ""}: {a.error?.message ?? "no message"}
            </li>
          ))}
        </ol>
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

export const Json = memo(function Json({ value, testId }: { value: unknown; testId?: string }) {
  const text = value === undefined ? "—" : JSON.stringify(value, null, 2);
  return (
    <pre data-testid={testId} className="max-h-72 overflow-auto rounded-md bg-muted p-2 font-mono text-xs whitespace-pre-wrap">
      {text}
    </pre>
  );
});
