// Execution and block statuses and their predicates: the one list every package uses (engine, API,
// web). `packages/db`'s pg enums hold the same values; the engine store checks at compile time that
// they agree. Isomorphic: no node:* imports.

export const executionStatuses = ["pending", "running", "paused", "completed", "failed", "cancelled"] as const;
export type ExecutionStatus = (typeof executionStatuses)[number];

/** Completed, failed or cancelled: nothing more will happen to the run (unless fix-and-continue resumes a failed one). */
export const terminalExecutionStatuses = ["completed", "failed", "cancelled"] as const satisfies readonly ExecutionStatus[];
export type TerminalExecutionStatus = (typeof terminalExecutionStatuses)[number];

/** Pending, running or paused: the run may still change. */
export const activeExecutionStatuses = ["pending", "running", "paused"] as const satisfies readonly ExecutionStatus[];
export type ActiveExecutionStatus = (typeof activeExecutionStatuses)[number];

export const blockExecutionStatuses = ["pending", "running", "completed", "failed", "skipped"] as const;
export type BlockExecutionStatus = (typeof blockExecutionStatuses)[number];

/** Completed, failed or skipped: the node will not run again in this execution (as it stands). */
export const settledBlockStatuses = ["completed", "failed", "skipped"] as const satisfies readonly BlockExecutionStatus[];
export type SettledBlockStatus = (typeof settledBlockStatuses)[number];

const terminal: ReadonlySet<string> = new Set(terminalExecutionStatuses);
const active: ReadonlySet<string> = new Set(activeExecutionStatuses);
const settled: ReadonlySet<string> = new Set(settledBlockStatuses);
const known: ReadonlySet<string> = new Set(executionStatuses);

export const isExecutionStatus = (status: unknown): status is ExecutionStatus => typeof status === "string" && known.has(status);
/** Completed, failed or cancelled. Takes any string (a status from JSON); unknown strings are not terminal. */
export const isTerminal = (status: string): status is TerminalExecutionStatus => terminal.has(status);
/** Pending, running or paused. Unknown strings are not active either. */
export const isActive = (status: string): status is ActiveExecutionStatus => active.has(status);
/** A block execution that is completed, failed or skipped. */
export const isNodeSettled = (status: string): status is SettledBlockStatus => settled.has(status);
