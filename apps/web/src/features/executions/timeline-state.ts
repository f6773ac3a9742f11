import { parseExecutionEvent, type LogLine, type NodeMetrics } from "@weft/flow";
import type { StreamEvent } from "./use-execution-stream";

/** A step of the run as the events describe it: one per node and loop iteration. */
export type StepState = {
  key: string;
  nodeId: string;
  iteration: string | null;
  blockType: string | null;
  status: "pending" | "running" | "completed" | "failed" | "skipped" | "waiting";
  attempt: number;
  output?: unknown;
  error?: { code?: string; message?: string } | null;
  durationMs: number | null;
  metrics: NodeMetrics | null;
  /** AI text streamed so far. */
  text: string;
  /** Console lines of user code. */
  logs: string[];
  retries: number;
  skippedReason?: string;
  /** Every attempt that failed (retried, or failed before a fix-and-continue), oldest first. */
  failedAttempts: ReadonlyArray<{ attempt: number; error: { code?: string; message?: string } | null }>;
};

const stepStatuses: readonly StepState["status"][] = ["pending", "running", "completed", "failed", "skipped", "waiting"];
const isStepStatus = (s: unknown): s is StepState["status"] => typeof s === "string" && (stepStatuses as readonly string[]).includes(s);

/** A step's key: its node and loop iteration. */
export const stepKey = (nodeId: string, iteration: string | null) => `${nodeId}#${iteration ?? ""}`;

/** A stored block execution as `executions.byId` returns it (the part a step is built from). */
export type StoredBlock = {
  nodeId: string;
  iteration: string | null;
  blockType: string | null;
  status: string | null;
  attempt: number;
  output: unknown;
  error: unknown;
  metrics: NonNullable<StepState["metrics"]> & { durationMs: number | null };
};

/**
 * Steps from the events, plus stored blocks the events have not described (the log may still be
 * loading, or the run was followed before it started). Unchanged (the same array) when there are none.
 */
export function withStoredBlocks(steps: readonly StepState[], blocks: readonly StoredBlock[]): readonly StepState[] {
  const seen = new Set(steps.map((s) => s.key));
  const extra: StepState[] = [];
  for (const b of blocks) {
    const key = stepKey(b.nodeId, b.iteration);
    if (seen.has(key)) continue;
    extra.push({
      key,
      nodeId: b.nodeId,
      iteration: b.iteration,
      blockType: b.blockType,
      status: isStepStatus(b.status) ? b.status : "pending",
      attempt: b.attempt,
      output: b.output,
      error: (b.error as StepState["error"]) ?? null,
      durationMs: b.metrics.durationMs,
      metrics: b.metrics,
      text: "",
      logs: [],
      retries: 0,
      failedAttempts: isStepStatus(b.status) && b.status === "failed" ? [{ attempt: b.attempt, error: (b.error as StepState["error"]) ?? null }] : [],
    });
  }
  return extra.length ? [...steps, ...extra] : steps;
}

/** The run as its events describe it, built incrementally (only the steps an event touches get new objects). */
export type TimelineState = {
  count: number;
  status: string | null;
  pauseReason: string | null;
  approval: { nodeId: string; message: string | null } | null;
  steps: StepState[];
  stepIndex: ReadonlyMap<string, number>;
  output: { value: unknown } | null;
  error: { code?: string; message?: string; nodeId?: string } | null;
  /** Stream deltas and logs in arrival order, for the live viewer. */
  stream: readonly { index: number; nodeId: string; kind: "text" | "log"; text: string }[];
};

export const emptyTimeline: TimelineState = {
  count: 0,
  status: null,
  pauseReason: null,
  approval: null,
  steps: [],
  stepIndex: new Map(),
  output: null,
  error: null,
  stream: [],
};

/** A console line of user code, `warn: message` (plain `log` lines have no prefix). */
const logLine = (line: LogLine) => `${line.level !== "log" ? `${line.level}: ` : ""}${line.message}`;

/**
 * Applies `events[state.count..]` to the state; events must be contiguous from index 0. Each event is
 * parsed with the event union of `@weft/flow`; one that does not parse (a newer server's event type,
 * a malformed payload) keeps its place in the log (the raw list shows it) but changes no step.
 */
export function advanceTimeline(state: TimelineState, events: readonly StreamEvent[]): TimelineState {
  if (events.length <= state.count) return state;
  const next: TimelineState = { ...state, steps: state.steps.slice(), stepIndex: new Map(state.stepIndex), stream: state.stream.slice() };
  const stream = next.stream as TimelineState["stream"][number][];
  const index = next.stepIndex as Map<string, number>;

  const update = (e: { nodeId: string; iteration?: string | undefined }, change: (step: StepState) => Partial<StepState>) => {
    const iteration = e.iteration ?? null;
    const key = stepKey(e.nodeId, iteration);
    let at = index.get(key);
    if (at === undefined) {
      at = next.steps.length;
      index.set(key, at);
      next.steps.push({ key, nodeId: e.nodeId, iteration, blockType: null, status: "pending", attempt: 1, durationMs: null, metrics: null, text: "", logs: [], retries: 0, failedAttempts: [] });
    }
    const step = next.steps[at]!;
    next.steps[at] = { ...step, ...change(step) };
  };

  for (let i = state.count; i < events.length; i++) {
    const { index: eventIndex, event: raw } = events[i]!;
    const parsed = parseExecutionEvent(raw);
    if (!parsed.success) continue;
    const e = parsed.data;
    switch (e.type) {
      case "execution_start":
      case "execution_resumed":
        next.status = "running";
        next.pauseReason = null;
        next.approval = null;
        next.error = null;
        break;
      case "execution_paused":
        next.status = "paused";
        next.pauseReason = e.reason;
        break;
      case "execution_complete":
        next.status = "completed";
        next.approval = null;
        next.output = { value: e.output };
        break;
      case "execution_error":
        next.status = "failed";
        next.approval = null;
        next.error = e.error;
        break;
      case "execution_cancelled":
        next.status = "cancelled";
        next.approval = null;
        break;
      case "node_start":
        update(e, () => ({ status: "running", blockType: e.blockType, attempt: e.attempt, error: null }));
        break;
      case "node_stream": {
        const delta = e.delta ?? "";
        const logs = e.logs?.map(logLine) ?? [];
        update(e, (s) => ({ text: delta ? s.text + delta : s.text, logs: logs.length ? [...s.logs, ...logs] : s.logs }));
        if (delta) stream.push({ index: eventIndex, nodeId: e.nodeId, kind: "text", text: delta });
        for (const line of logs) stream.push({ index: eventIndex, nodeId: e.nodeId, kind: "log", text: line });
        break;
      }
      case "node_complete":
        update(e, () => ({ status: "completed", output: e.output, durationMs: e.durationMs ?? null, metrics: e.metrics ?? null }));
        break;
      case "node_error": {
        const error = e.error;
        update(e, (s) => {
          const attempt = e.attempt ?? s.attempt;
          return { status: "failed", attempt, error, failedAttempts: [...s.failedAttempts, { attempt, error }] };
        });
        break;
      }
      case "node_retry": {
        const error = e.error;
        update(e, (s) => ({ status: "running", attempt: e.nextAttempt, retries: s.retries + 1, error, failedAttempts: [...s.failedAttempts, { attempt: e.attempt, error }] }));
        break;
      }
      case "node_skipped":
        update(e, () => ({ status: "skipped", skippedReason: e.reason }));
        break;
      case "approval_requested":
        next.approval = { nodeId: e.nodeId, message: e.message };
        update(e, () => ({ status: "waiting" }));
        break;
      case "comment_added":
      case "artifact_added":
      case "phase_changed":
        break;
      default: {
        const unhandled: never = e;
        void unhandled;
      }
    }
  }
  next.count = events.length;
  return next;
}
