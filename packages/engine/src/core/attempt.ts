// One attempt of a node: when its start is committed, and what follows its end (complete, retry,
// fail). Pure: the runner executes the block and asks here.
import { retryChoice, type RetryPolicy } from "./retry";

/** Blocks that usually finish in well under a millisecond or two (no I/O). */
export const QUICK_BLOCKS: ReadonlySet<string> = new Set(["source", "sink", "function", "router", "parallel"]);

/**
 * Whether `node_start` is committed before the block runs. Blocks that wait (HTTP, AI, delays, loops,
 * approvals) and retries commit it at once; a quick block's start goes with its end unless it runs
 * longer than `startEventDelayMs` (the runner sets that timer).
 */
export function startsAtOnce(blockType: string, attempt: number, startEventDelayMs: number): boolean {
  return attempt > 1 || !QUICK_BLOCKS.has(blockType) || startEventDelayMs <= 0;
}

/** Whether the completion commit is pipelined: the next node starts while it is in flight. */
export function pipelinesCompletion(blockType: string, startCommitted: boolean): boolean {
  return QUICK_BLOCKS.has(blockType) && !startCommitted;
}

export type AttemptFailure = { code: string; message: string; retryable: boolean; retryAfterMs?: number };
export type AttemptOutcome =
  | { type: "complete" }
  | { type: "retry"; delayMs: number; nextAttempt: number; error: { code: string; message: string } }
  | { type: "fail"; error: { code: string; message: string } };

/**
 * After an attempt: a result whose output is over the stored-output limit fails (not retryable); a
 * failure is retried while the node's retry policy allows (`random` drives the jitter), else fails.
 */
export function attemptOutcome(input: {
  nodeId: string;
  attempt: number;
  retry: RetryPolicy | undefined;
  random: number;
  maxOutputBytes: number;
  result: { outputBytes: number } | { failure: AttemptFailure };
}): AttemptOutcome {
  const failure: AttemptFailure | null =
    "failure" in input.result
      ? input.result.failure
      : input.result.outputBytes > input.maxOutputBytes
        ? { code: "OUTPUT_LIMIT", message: `The output of ${input.nodeId} is ${input.result.outputBytes} bytes, over the limit of ${input.maxOutputBytes} bytes`, retryable: false }
        : null;
  if (!failure) return { type: "complete" };
  const error = { code: failure.code, message: failure.message };
  const choice = retryChoice(failure, input.attempt, input.retry, input.random);
  return choice.retry ? { type: "retry", delayMs: choice.delayMs, nextAttempt: choice.nextAttempt, error } : { type: "fail", error };
}
