import type { ExecutionEvent } from "@weft/flow";
import type { ExecutionStatus } from "./status";

/**
 * The execution's state machine, pure: no I/O, no clock. The store enforces the same table with a
 * conditional UPDATE (`where status = <from>`), so a transition refused here is refused in the
 * database too, whichever process asks.
 *
 *   pending ──start──> running ──complete──> completed
 *      │                │  ▲ │──fail──────> failed
 *      │                │  │ └──cancel────> cancelled
 *      │              pause resume
 *      │                ▼  │
 *      └──cancel──>   paused ──cancel/fail──> cancelled / failed
 *
 *   failed ──retry_failed──> running   (fix-and-continue from the failed node; completed nodes kept)
 */
export type ExecutionCommand =
  | { type: "start" }
  | { type: "pause"; reason: "user" | "approval"; nodeId?: string }
  | { type: "resume" }
  | { type: "complete"; output: unknown }
  | { type: "fail"; error: ExecutionError }
  | { type: "cancel"; by?: string | null }
  /** Fix-and-continue: a failed execution continues from its failed node (after the flow was edited). */
  | { type: "retry_failed"; fromNodeId: string };

export type ExecutionError = { code: string; message: string; nodeId?: string };

export type TransitionResult =
  | { ok: true; from: ExecutionStatus; to: ExecutionStatus; events: ExecutionEvent[] }
  | { ok: false; from: ExecutionStatus; command: ExecutionCommand["type"]; message: string };

const table: Record<ExecutionStatus, Partial<Record<ExecutionCommand["type"], ExecutionStatus>>> = {
  pending: { start: "running", cancel: "cancelled" },
  running: { pause: "paused", complete: "completed", fail: "failed", cancel: "cancelled" },
  paused: { resume: "running", cancel: "cancelled", fail: "failed" },
  completed: {},
  failed: { retry_failed: "running" },
  cancelled: {},
};

export function transition(from: ExecutionStatus, command: ExecutionCommand): TransitionResult {
  const to = table[from][command.type];
  if (!to) {
    return { ok: false, from, command: command.type, message: `Cannot ${command.type} an execution that is ${from}` };
  }
  return { ok: true, from, to, events: [eventOf(command)] };
}

/** The event a transition appends, in the same transaction as the status change. */
function eventOf(command: ExecutionCommand): ExecutionEvent {
  switch (command.type) {
    case "start":
      return { type: "execution_start" };
    case "pause":
      return { type: "execution_paused", reason: command.reason, ...(command.nodeId ? { nodeId: command.nodeId } : {}) };
    case "resume":
      return { type: "execution_resumed" };
    case "complete":
      return { type: "execution_complete", output: command.output };
    case "fail":
      return { type: "execution_error", error: command.error };
    case "cancel":
      return { type: "execution_cancelled", by: command.by ?? null };
    case "retry_failed":
      return { type: "execution_resumed", fromNodeId: command.fromNodeId };
  }
}
