import type { BlockExecution } from "@weft/db";

const usd = (value: string | null) => (value == null ? null : Number(value));

/** One node execution (a step) of a run. */
export const stepView = (b: BlockExecution) => ({
  nodeId: b.nodeId,
  blockType: b.blockType,
  iteration: b.iteration,
  status: b.status,
  attempt: b.attempt,
  startedAt: b.startedAt,
  finishedAt: b.finishedAt,
  error: b.error,
  /** Copied from an earlier run by a re-run instead of executed. */
  reused: b.reusedFromExecutionId !== null,
  reusedFromExecutionId: b.reusedFromExecutionId,
  metrics: {
    durationMs: b.durationMs,
    tokensIn: b.tokensIn,
    tokensOut: b.tokensOut,
    costUsd: usd(b.costUsd),
    ttftMs: b.ttftMs,
    tokensPerSecond: b.tokensPerSecond,
  },
});
export type StepView = ReturnType<typeof stepView>;
