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

/** What a transition asks the runtime to do: events to append (same transaction) and side effects. */
export type Effect =
  | { type: "emit"; event: ExecutionEvent }
  | { type: "abort_in_flight" }
  | { type: "schedule_ready_nodes" };

export type TransitionResult =
  | { ok: true; from: ExecutionStatus; to: ExecutionStatus; effects: Effect[] }
  | { ok: false; from: ExecutionStatus; command: ExecutionCommand["type"]; message: string };

const table: Record<ExecutionStatus, Partial<Record<ExecutionCommand["type"], ExecutionStatus>>> = {
  pending: { start: "running", cancel: "cancelled" },
  running: { pause: "paused", complete: "completed", fail: "failed", cancel: "cancelled" },
  paused: { resume: "running", cancel: "cancelled", fail: "failed" },
  completed: {},
  failed: { retry_failed: "running" },
  cancelled: {},
};

/** The statuses a command may start from (the store's `where status in (...)`). */
export function allowedFrom(command: ExecutionCommand["type"]): ExecutionStatus[] {
  return (Object.keys(table) as ExecutionStatus[]).filter((from) => table[from][command] !== undefined);
}

export function transition(from: ExecutionStatus, command: ExecutionCommand): TransitionResult {
  const to = table[from][command.type];
  if (!to) {
    return { ok: false, from, command: command.type, message: `Cannot ${command.type} an execution that is ${from}` };
  }
  return { ok: true, from, to, effects: effectsOf(command) };
}

function effectsOf(command: ExecutionCommand): Effect[] {
  switch (command.type) {
    case "start":
      return [{ type: "emit", event: { type: "execution_start" } }, { type: "schedule_ready_nodes" }];
    case "pause":
      return [
        { type: "emit", event: { type: "execution_paused", reason: command.reason, ...(command.nodeId ? { nodeId: command.nodeId } : {}) } },
        ...(command.reason === "user" ? [{ type: "abort_in_flight" } as const] : []),
      ];
    case "resume":
      return [{ type: "emit", event: { type: "execution_resumed" } }, { type: "schedule_ready_nodes" }];
    case "complete":
      return [{ type: "emit", event: { type: "execution_complete", output: command.output } }];
    case "fail":
      return [{ type: "emit", event: { type: "execution_error", error: command.error } }, { type: "abort_in_flight" }];
    case "cancel":
      return [{ type: "emit", event: { type: "execution_cancelled", by: command.by ?? null } }, { type: "abort_in_flight" }];
    case "retry_failed":
      return [{ type: "emit", event: { type: "execution_resumed", fromNodeId: command.fromNodeId } }, { type: "schedule_ready_nodes" }];
  }
}
