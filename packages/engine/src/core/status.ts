import type { BlockExecutionStatus, ExecutionStatus } from "@weft/db";

export type { BlockExecutionStatus, ExecutionStatus };

const terminal = new Set<ExecutionStatus>(["completed", "failed", "cancelled"]);
const nodeTerminal = new Set<BlockExecutionStatus>(["completed", "failed", "skipped"]);

/** Status predicates live here, not as string comparisons scattered around. */
export const isTerminal = (status: ExecutionStatus) => terminal.has(status);
export const isNodeSettled = (status: BlockExecutionStatus) => nodeTerminal.has(status);
