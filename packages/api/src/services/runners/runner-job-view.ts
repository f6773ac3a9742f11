import type { RunnerJob } from "@weft/db";
import type { EventInput } from "@weft/engine";

/** What a runner receives for a claimed job. */
export const runnerJobView = (job: RunnerJob) => ({
  id: job.id,
  executionId: job.executionId,
  nodeId: job.nodeId,
  iteration: job.iteration,
  attempt: job.attempt,
  idempotencyKey: job.idempotencyKey,
  blockType: job.blockType,
  payload: job.payload,
  claims: job.claims,
});
export type RunnerJobView = ReturnType<typeof runnerJobView>;

/** A `node_stream` event of a runner step carrying log lines. */
export function stepLogEvent(job: Pick<RunnerJob, "nodeId" | "iteration">, lines: Array<{ level: string; message: string }>): EventInput {
  return { type: "node_stream", nodeId: job.nodeId, ...(job.iteration ? { iteration: job.iteration } : {}), logs: lines };
}
