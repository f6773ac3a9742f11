"use client";

import { useEffect, useRef } from "react";
import { StatusBadge } from "@/features/executions/status-badge";
import { useExecutionStream } from "@/features/executions/use-execution-stream";
import { MetricsRow } from "./metrics-row";
import { TestResult } from "./test-result";

/**
 * One running or finished test, followed on the execution's SSE stream (events applied by index; a
 * dropped connection resumes after the last one): the AI text token by token, console lines, then
 * the result and the metrics. `onEnd` is called once the stream says the run ended.
 */
export function TestLive({ executionId, nodeId, onEnd }: { executionId: string; nodeId: string; onEnd?: () => void }) {
  const stream = useExecutionStream(executionId);
  const { timeline } = stream;
  const step = timeline.steps.find((s) => s.nodeId === nodeId);
  const ended = stream.done || timeline.status === "completed" || timeline.status === "failed" || timeline.status === "cancelled";
  const notified = useRef(false);
  useEffect(() => {
    if (ended && !notified.current) {
      notified.current = true;
      onEnd?.();
    }
  }, [ended, onEnd]);
  const status = timeline.status ?? "pending";
  const error = step?.error ?? timeline.error;
  return (
    <section aria-label="Test result" className="flex flex-col gap-2" data-testid="test-live" data-status={status}>
      <div className="flex items-center gap-2 text-xs">
        <StatusBadge status={status} />
        {stream.connection === "reconnecting" ? <span className="text-muted-foreground">reconnecting…</span> : null}
      </div>
      {step && step.text && step.output === undefined ? (
        <pre className="max-h-64 overflow-auto rounded-md bg-muted p-2 text-xs whitespace-pre-wrap" data-testid="test-stream-text" aria-live="polite">
          {step.text}
        </pre>
      ) : null}
      {step && step.logs.length > 0 ? (
        <div data-testid="test-logs">
          <h4 className="text-xs font-medium text-muted-foreground">Console</h4>
          <pre className="max-h-40 overflow-auto rounded-md bg-muted p-2 font-mono text-xs">{step.logs.join("\n")}</pre>
        </div>
      ) : null}
      {step && step.output !== undefined ? <TestResult type={step.blockType ?? ""} output={step.output} /> : null}
      {error && (status === "failed" || step?.status === "failed") ? (
        <p role="alert" className="rounded-md border border-destructive/30 bg-destructive/10 p-2 text-xs text-destructive" data-testid="test-error">
          {error.code ? <span className="font-mono">{error.code}: </span> : null}
          {error.message}
        </p>
      ) : null}
      {status === "cancelled" ? <p className="text-xs text-muted-foreground" data-testid="test-cancelled">Cancelled.</p> : null}
      <MetricsRow
        metrics={{
          durationMs: step?.durationMs ?? null,
          ttftMs: step?.metrics?.ttftMs ?? null,
          tokensPerSecond: step?.metrics?.tokensPerSecond ?? null,
          tokensIn: step?.metrics?.tokensIn ?? null,
          tokensOut: step?.metrics?.tokensOut ?? null,
          costUsd: step?.metrics?.costUsd ?? null,
        }}
      />
    </section>
  );
}
