import { LostClaimError, UnauthorizedError, type ClaimedJob, type RunnerClient } from "./client";
import { executeJob, type ExecuteOptions } from "./execute-job";
import { createLogSender } from "./log-sender";

export type LoopOptions = ExecuteOptions & {
  client: RunnerClient;
  /** Long-poll length of a claim. */
  claimWaitMs: number;
  heartbeatMs: number;
  logFlushMs: number;
  log: (line: string) => void;
};

/**
 * Claims steps one at a time and runs them until `signal` aborts (then the running step is killed)
 * or the server refuses the credential (revoked: the loop ends with that error).
 */
export async function runLoop(options: LoopOptions, signal: AbortSignal): Promise<void> {
  let backoffMs = 0;
  while (!signal.aborted) {
    let job: ClaimedJob | null;
    try {
      job = await options.client.claim(options.claimWaitMs, signal);
      backoffMs = 0;
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error;
      if (signal.aborted) return;
      backoffMs = Math.min(Math.max(backoffMs * 2, 500), 10_000);
      options.log(`claim failed (${(error as Error).message}); retrying in ${backoffMs} ms`);
      await new Promise((r) => setTimeout(r, backoffMs));
      continue;
    }
    if (job) await runJob(job, options, signal);
  }
}

/** One step: heartbeats and a cancel long-poll alongside; the result reported unless cancelled or lost. */
async function runJob(job: ClaimedJob, options: LoopOptions, outer: AbortSignal): Promise<void> {
  const { client, log } = options;
  log(`step ${job.nodeId} (${job.blockType}) of execution ${job.executionId}: started (claim ${job.claims})`);
  const abort = new AbortController();
  type Reason = "cancel" | "lost" | "shutdown" | "unauthorized";
  const state: { reason: Reason | null } = { reason: null };
  const stop = (why: Reason) => {
    state.reason ??= why;
    abort.abort();
  };
  const onOuter = () => stop("shutdown");
  outer.addEventListener("abort", onOuter, { once: true });
  const watchError = (error: unknown) => {
    if (error instanceof LostClaimError) stop("lost");
    else if (error instanceof UnauthorizedError) stop("unauthorized");
  };
  const heartbeat = setInterval(() => {
    client.heartbeat(job.id).then((a) => a.cancel && stop("cancel"), watchError);
  }, options.heartbeatMs);
  const cancelWatch = (async () => {
    while (!abort.signal.aborted) {
      try {
        if ((await client.waitCancel(job.id, 25_000, abort.signal)).cancel) stop("cancel");
      } catch (error) {
        watchError(error);
        if (!abort.signal.aborted) await new Promise((r) => setTimeout(r, 500));
      }
    }
  })();
  const logs = createLogSender({ client, jobId: job.id, flushMs: options.logFlushMs, onCancel: () => stop("cancel"), onError: watchError });
  try {
    const result = await executeJob(job, options, { signal: abort.signal, emit: (messages) => logs.push(messages) });
    await logs.flush();
    if (state.reason) {
      log(`step ${job.nodeId}: stopped (${state.reason})`);
      if (state.reason === "unauthorized") throw new UnauthorizedError("the runner credential was revoked");
      return;
    }
    const answer = await client.result(job.id, result);
    log(`step ${job.nodeId}: ${result.status}${result.status === "failed" ? ` (${result.error.code})` : ""}${answer.cancelled ? " — cancelled meanwhile" : ""}`);
  } catch (error) {
    if (error instanceof UnauthorizedError) throw error;
    log(`step ${job.nodeId}: could not report (${(error as Error).message})`);
  } finally {
    clearInterval(heartbeat);
    if (!abort.signal.aborted) abort.abort();
    outer.removeEventListener("abort", onOuter);
    await cancelWatch;
  }
}
