// The execution event contract (packages/engine/ARCHITECTURE.md, "Event contract"): one zod
// discriminated union of every event type and its payload. The engine emits `ExecutionEvent`s, the
// API's SSE stream ends on `isTerminalEvent`, the web timeline parses with `parseExecutionEvent`.
// Isomorphic: no node:* imports, no I/O.
import { z } from "zod";

/** Loop iteration path: `"2"` in a loop, `"2.0"` in a nested loop; absent outside loops. */
const iteration = z.string().optional();
const nodeId = z.string().min(1);

/** A node's or run's error as events carry it (never a stack, never a secret). */
export const EventError = z.object({ code: z.string(), message: z.string() });
export type EventError = z.infer<typeof EventError>;

/**
 * USD cost: a JSON number; null = unknown (a model without a price), never 0 by default.
 *
 * Why a number: every reader of events is JSON (the SSE stream, the web, API clients), and the API
 * already answers costs as numbers. An 8-decimal USD amount under $10^6 has at most 15 significant
 * digits, which a double holds exactly enough to print; the exact sums stay in the database's
 * `numeric(14,8)` columns. Events stored before this contract carry a decimal string: it is read as
 * the same number.
 */
export const CostUsd = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]).nullable();

/** Metrics of one node execution (AI blocks; others may have none). */
export const NodeMetrics = z.object({
  tokensIn: z.number().nullable().optional(),
  tokensOut: z.number().nullable().optional(),
  costUsd: CostUsd.optional(),
  ttftMs: z.number().nullable().optional(),
  tokensPerSecond: z.number().nullable().optional(),
});
export type NodeMetrics = z.infer<typeof NodeMetrics>;

/** A console line of user code (a bare string, as early builds wrote, is read as a `log` line). */
export const LogLine = z.union([
  /** `at`: ms since the user code started. */
  z.object({ level: z.string(), message: z.string(), at: z.number().optional() }),
  z.string().transform((message) => ({ level: "log", message })),
]);
export type LogLine = z.infer<typeof LogLine>;

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ type: z.literal(type), ...shape });

export const ExecutionStartEvent = event("execution_start", {});
export const NodeStartEvent = event("node_start", { nodeId, iteration, blockType: z.string(), attempt: z.number().int().min(1) });
/** `delta`: AI text (coalesced per `streamFlushMs`); `logs`: console lines of user code. */
export const NodeStreamEvent = event("node_stream", { nodeId, iteration, delta: z.string().optional(), logs: z.array(LogLine).optional() });
export const NodeCompleteEvent = event("node_complete", {
  nodeId,
  iteration,
  output: z.unknown(),
  /** Absent when the node was completed from outside (an approval decision). */
  durationMs: z.number().optional(),
  metrics: NodeMetrics.optional(),
  /** (planned, re-run from a step) The output was reused from `fromExecutionId`; the node did not run. */
  reused: z.boolean().optional(),
  fromExecutionId: z.string().optional(),
});
export const NodeErrorEvent = event("node_error", {
  nodeId,
  iteration,
  /** Absent when the node failed without running again (an approval that timed out). */
  attempt: z.number().int().min(1).optional(),
  error: EventError,
});
export const NodeSkippedEvent = event("node_skipped", {
  nodeId,
  iteration,
  /** Why: an unchosen router branch, or a join nothing can reach any more. */
  reason: z.string(),
  /** (planned, re-run from a step) Skipped in the run the outputs were reused from. */
  reused: z.boolean().optional(),
});
export const NodeRetryEvent = event("node_retry", {
  nodeId,
  iteration,
  attempt: z.number().int().min(1),
  nextAttempt: z.number().int().min(2),
  delayMs: z.number().min(0),
  error: EventError,
  /** (planned, fallback chains) Why the node tries again; absent: `"error"`. */
  reason: z.enum(["error", "fallback"]).optional(),
  /** (planned, fallback chains) The model of the attempt that failed, and what it cost. */
  model: z.string().optional(),
  metrics: NodeMetrics.optional(),
});
export const ApprovalRequestedEvent = event("approval_requested", { nodeId, iteration, message: z.string(), timeoutMs: z.number().optional() });
export const ExecutionPausedEvent = event("execution_paused", { reason: z.enum(["user", "approval"]), nodeId: nodeId.optional() });
/** `fromNodeId`: fix-and-continue resumed a failed run from that node. */
export const ExecutionResumedEvent = event("execution_resumed", { fromNodeId: nodeId.optional() });
export const ExecutionCompleteEvent = event("execution_complete", { output: z.unknown() });
export const ExecutionErrorEvent = event("execution_error", { error: EventError.extend({ nodeId: nodeId.optional() }) });
/** `by`: the user who cancelled, null when unknown (an API key, the system). */
export const ExecutionCancelledEvent = event("execution_cancelled", { by: z.string().nullable() });
/** (planned) A comment on the run or a step; `kind: "system"` is the engine's own (e.g. "breaker open: fell back to model Y"). */
export const CommentAddedEvent = event("comment_added", {
  commentId: z.string(),
  kind: z.enum(["user", "system", "agent"]),
  body: z.string(),
  authorId: z.string().nullable().optional(),
  nodeId: nodeId.optional(),
  iteration,
});
/** (planned) A file attached to the run, a step or a comment. */
export const ArtifactAddedEvent = event("artifact_added", {
  artifactId: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number().int().min(0),
  sha256: z.string().optional(),
  nodeId: nodeId.optional(),
  iteration,
  commentId: z.string().optional(),
});
/** (planned) The run's current phase changed (null: the run left every phase). */
export const PhaseChangedEvent = event("phase_changed", { phase: z.string().nullable(), previous: z.string().nullable().optional(), nodeId: nodeId.optional() });

/** Every event of an execution's log, discriminated by `type`. */
export const ExecutionEvent = z.discriminatedUnion("type", [
  ExecutionStartEvent,
  NodeStartEvent,
  NodeStreamEvent,
  NodeCompleteEvent,
  NodeErrorEvent,
  NodeSkippedEvent,
  NodeRetryEvent,
  ApprovalRequestedEvent,
  ExecutionPausedEvent,
  ExecutionResumedEvent,
  ExecutionCompleteEvent,
  ExecutionErrorEvent,
  ExecutionCancelledEvent,
  CommentAddedEvent,
  ArtifactAddedEvent,
  PhaseChangedEvent,
]);
export type ExecutionEvent = z.infer<typeof ExecutionEvent>;
export type ExecutionEventType = ExecutionEvent["type"];
/** One event type's payload: `EventOf<"node_complete">`. */
export type EventOf<T extends ExecutionEventType> = Extract<ExecutionEvent, { type: T }>;

export const executionEventTypes = ExecutionEvent.options.map((o) => o.shape.type.value) as readonly ExecutionEventType[];

/** The events that end a run's log (until fix-and-continue resumes a failed run). */
export const terminalEventTypes = ["execution_complete", "execution_error", "execution_cancelled"] as const satisfies readonly ExecutionEventType[];
export type TerminalEvent = EventOf<(typeof terminalEventTypes)[number]>;
const terminalTypes: ReadonlySet<string> = new Set(terminalEventTypes);
/** True for `execution_complete`, `execution_error` and `execution_cancelled` (takes a stored row's `type` too). */
export const isTerminalEvent = (event: { type: string } | string): boolean => terminalTypes.has(typeof event === "string" ? event : event.type);

/**
 * Parses one event (`{ type, ...data }`, as the SSE stream and the events endpoint send it). Unknown
 * keys are dropped; an unknown type or a payload of the wrong shape gives `{ success: false }` with
 * zod's issues naming the field.
 */
export const parseExecutionEvent = (value: unknown) => ExecutionEvent.safeParse(value);

/** An event from a stored row (`type` column + `data` jsonb). */
export const eventFromRow = (row: { type: string; data: unknown }) =>
  ExecutionEvent.safeParse({ ...(row.data && typeof row.data === "object" ? row.data : {}), type: row.type });
