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
  metrics: { tokensIn?: number | null; tokensOut?: number | null; costUsd?: number | null; ttftMs?: number | null; tokensPerSecond?: number | null } | null;
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

const str = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : null);
const num = (v: unknown) => (typeof v === "number" ? v : null);

/** A console line of user code: `{ level, message }` (older shapes: a string, or anything else as JSON). */
function logLine(line: unknown): string {
  if (typeof line === "string") return line;
  if (line && typeof line === "object" && "message" in line && typeof line.message === "string") {
    const level = "level" in line && typeof line.level === "string" && line.level !== "log" ? `${line.level}: ` : "";
    return `${level}${line.message}`;
  }
  return JSON.stringify(line) ?? "";
}

/** Applies `events[state.count..]` to the state; events must be contiguous from index 0. */
export function advanceTimeline(state: TimelineState, events: readonly StreamEvent[]): TimelineState {
  if (events.length <= state.count) return state;
  const next: TimelineState = { ...state, steps: state.steps.slice(), stepIndex: new Map(state.stepIndex), stream: state.stream.slice() };
  const stream = next.stream as TimelineState["stream"][number][];
  const index = next.stepIndex as Map<string, number>;

  const update = (e: Record<string, unknown>, change: (step: StepState) => Partial<StepState>) => {
    const nodeId = str(e.nodeId);
    if (!nodeId) return;
    const iteration = str(e.iteration);
    const key = stepKey(nodeId, iteration);
    let at = index.get(key);
    if (at === undefined) {
      at = next.steps.length;
      index.set(key, at);
      next.steps.push({ key, nodeId, iteration, blockType: null, status: "pending", attempt: 1, durationMs: null, metrics: null, text: "", logs: [], retries: 0, failedAttempts: [] });
    }
    const step = next.steps[at]!;
    next.steps[at] = { ...step, ...change(step) };
  };

  for (let i = state.count; i < events.length; i++) {
    const { index: eventIndex, event: e } = events[i]!;
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
        next.pauseReason = str(e.reason);
        break;
      case "execution_complete":
        next.status = "completed";
        next.approval = null;
        next.output = { value: e.output };
        break;
      case "execution_error":
        next.status = "failed";
        next.approval = null;
        next.error = (e.error as TimelineState["error"]) ?? { message: "Failed" };
        break;
      case "execution_cancelled":
        next.status = "cancelled";
        next.approval = null;
        break;
      case "node_start":
        update(e, () => ({ status: "running", blockType: str(e.blockType), attempt: num(e.attempt) ?? 1, error: null }));
        break;
      case "node_stream": {
        const nodeId = str(e.nodeId) ?? "";
        const delta = str(e.delta);
        const logs = Array.isArray(e.logs) ? e.logs.map(logLine) : [];
        update(e, (s) => ({ text: delta ? s.text + delta : s.text, logs: logs.length ? [...s.logs, ...logs] : s.logs }));
        if (delta) stream.push({ index: eventIndex, nodeId, kind: "text", text: delta });
        for (const line of logs) stream.push({ index: eventIndex, nodeId, kind: "log", text: line });
        break;
      }
      case "node_complete":
        update(e, () => ({
          status: "completed",
          output: e.output,
          durationMs: num(e.durationMs),
          metrics: (e.metrics as StepState["metrics"]) ?? null,
        }));
        break;
      case "node_error": {
        const attempt = num(e.attempt) ?? 1;
        const error = (e.error as StepState["error"]) ?? null;
        update(e, (s) => ({ status: "failed", attempt, error, failedAttempts: [...s.failedAttempts, { attempt, error }] }));
        break;
      }
      case "node_retry": {
        const error = (e.error as StepState["error"]) ?? null;
        update(e, (s) => ({
          status: "running",
          attempt: num(e.nextAttempt) ?? s.attempt + 1,
          retries: s.retries + 1,
          error,
          failedAttempts: [...s.failedAttempts, { attempt: num(e.attempt) ?? s.attempt, error }],
        }));
        break;
      }
      case "node_skipped":
        update(e, () => ({ status: "skipped", skippedReason: str(e.reason) ?? undefined }));
        break;
      case "approval_requested":
        next.approval = { nodeId: str(e.nodeId) ?? "", message: str(e.message) };
        update(e, () => ({ status: "waiting" }));
        break;
      default:
        break;
    }
  }
  next.count = events.length;
  return next;
}
