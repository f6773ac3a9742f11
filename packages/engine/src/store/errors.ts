import type { ExecutionStatus } from "../core/status";

/** This worker no longer owns the execution (its lease expired and another worker took it): stop. */
export class LeaseLostError extends Error {
  readonly code = "LEASE_LOST";
  constructor(readonly executionId: string) {
    super(`Lost the lease on execution ${executionId}`);
    this.name = "LeaseLostError";
  }
}

/** The execution is not in a status this change may start from (refused by the conditional UPDATE). */
export class TransitionRefusedError extends Error {
  readonly code = "INVALID_TRANSITION";
  constructor(
    readonly executionId: string,
    readonly status: ExecutionStatus,
    readonly attempted: string,
  ) {
    super(`Cannot ${attempted} execution ${executionId}: it is ${status}`);
    this.name = "TransitionRefusedError";
  }
}
