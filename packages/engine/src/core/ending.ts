// How a run's work ends: what the runner commits (or not) once it stops running nodes. Pure: the
// runner says why it stopped and interprets the plan; the clock comes in as `now`.
import type { ExecutionEvent } from "@weft/flow";
import type { ExecutionCommand, ExecutionError } from "./transition";

/** Why the runner stopped running nodes. */
export type EndCause =
  | { type: "completed"; output: unknown }
  /** Another process took the lease (or this one is shutting down): it is theirs now. */
  | { type: "lease_lost" }
  | { type: "cancel"; by: string | null }
  | { type: "pause" }
  | { type: "approval"; nodeId: string; iteration: string; message: string; timeoutMs?: number }
  | { type: "node_failed"; error: ExecutionError }
  /** A failure of the run itself (an invalid flow, a loop over a non-array, the event cap...). */
  | { type: "run_error"; code: string; message: string }
  /** The store could not write. `transient`: the database was unreachable for a moment. */
  | { type: "store_failure"; transient: boolean }
  | { type: "unexpected" };

/** Fields of the execution row a plan sets (the runner adds the metric totals when `totals`). */
export type EndSet = { output?: unknown; error?: ExecutionError; requestedCommand?: null; wakeAt?: number | null };

export type EndPlan =
  /** Write nothing: the run belongs to whoever holds the lease now. */
  | { type: "leave" }
  /**
   * Write nothing and release the lease (best effort): the database failed for a moment, not the
   * run. Whoever claims it next resumes at the exact step; completed nodes are never re-run.
   */
  | { type: "hand_back" }
  | {
      type: "transition";
      command: ExecutionCommand;
      /** Events before the transition's own. */
      events: ExecutionEvent[];
      set: EndSet;
      /** Rows of nodes still marked running become: failed (cancel), pending (user pause), or stay. */
      inFlight: "failed" | "pending" | null;
      totals: boolean;
      /** An engine fault (not the user's flow): worth reporting to the operator. */
      report: boolean;
    };

const INTERNAL: ExecutionError = { code: "INTERNAL", message: "The engine failed while running this execution" };

export function planEnding(cause: EndCause, now: number): EndPlan {
  const transition = (command: ExecutionCommand, rest: Partial<Omit<Extract<EndPlan, { type: "transition" }>, "type" | "command">> = {}): EndPlan => ({
    type: "transition",
    command,
    events: [],
    set: {},
    inFlight: null,
    totals: false,
    report: false,
    ...rest,
  });
  switch (cause.type) {
    case "completed":
      return transition({ type: "complete", output: cause.output }, { set: { output: cause.output }, totals: true });
    case "lease_lost":
      return { type: "leave" };
    case "store_failure":
      return cause.transient ? { type: "hand_back" } : transition({ type: "fail", error: INTERNAL }, { set: { error: INTERNAL }, totals: true, report: true });
    case "cancel":
      return transition({ type: "cancel", by: cause.by }, { set: { requestedCommand: null }, inFlight: "failed", totals: true });
    case "pause":
      return transition({ type: "pause", reason: "user" }, { set: { requestedCommand: null }, inFlight: "pending" });
    case "approval": {
      const at = cause.iteration ? { iteration: cause.iteration } : {};
      return transition(
        { type: "pause", reason: "approval", nodeId: cause.nodeId },
        {
          events: [{ type: "approval_requested", nodeId: cause.nodeId, ...at, message: cause.message, ...(cause.timeoutMs ? { timeoutMs: cause.timeoutMs } : {}) }],
          set: { wakeAt: cause.timeoutMs ? now + cause.timeoutMs : null },
        },
      );
    }
    case "node_failed":
      return transition({ type: "fail", error: cause.error }, { set: { error: cause.error }, totals: true });
    case "run_error": {
      const error = { code: cause.code, message: cause.message };
      return transition({ type: "fail", error }, { set: { error }, totals: true });
    }
    case "unexpected":
      return transition({ type: "fail", error: INTERNAL }, { set: { error: INTERNAL }, totals: true, report: true });
  }
}

/** SQLSTATE classes and codes of a database that is briefly unavailable (not of a bad statement). */
const TRANSIENT_SQLSTATE = /^(08...|57P0[123]|53...|40001|40P01|55P03)$/;
/** Connection errors of the driver (postgres.js) and of Node's sockets. */
const TRANSIENT_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);

/**
 * Whether a store error means "the database was unreachable for a moment" (a restart, a dropped
 * connection, a failover): the run is handed back and resumed, never failed for it. Looks through
 * `cause` chains and AggregateErrors (a connect attempt to several addresses).
 */
export function isTransientStoreError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string" && (TRANSIENT_CODES.has(code) || TRANSIENT_SQLSTATE.test(code))) return true;
  if (Array.isArray(errors) && errors.some((e) => isTransientStoreError(e, depth + 1))) return true;
  return isTransientStoreError(cause, depth + 1);
}
