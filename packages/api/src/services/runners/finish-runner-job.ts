import { and, eq, runnerJobs } from "@weft/db";
import type { Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import type { RunnerIdentity } from "./authenticate-runner";
import { notYours, readRunnerJob } from "./runner-job-access";
import { FinishRunnerJobInput } from "./schemas";
import { wakeRunnerStep } from "./wake-runner-step";

/**
 * The runner's result for its step: the job is completed or failed (only by the runner holding it),
 * and the execution waiting for it continues. A result for a cancelled job is acknowledged and
 * dropped; one for a job this runner no longer holds is 409.
 */
export async function finishRunnerJob(deps: Deps, { runner, jobId, input }: { runner: RunnerIdentity; jobId: string; input: unknown }) {
  const result = parseInput(FinishRunnerJobInput, input);
  const [finished] = await deps.db
    .update(runnerJobs)
    .set({
      status: result.status,
      output: result.output ?? null,
      error: result.status === "failed" ? result.error : null,
      finishedAt: deps.now(),
      leaseExpiresAt: null,
    })
    .where(and(eq(runnerJobs.id, jobId), eq(runnerJobs.workspaceId, runner.workspaceId), eq(runnerJobs.runnerId, runner.runnerId), eq(runnerJobs.status, "claimed")))
    .returning();
  if (!finished) {
    const job = await readRunnerJob(deps, runner, jobId);
    if (job.status === "cancelled") return { accepted: false, cancelled: true };
    if (job.runnerId === runner.runnerId && job.status === result.status) return { accepted: true, cancelled: false };
    throw notYours();
  }
  await wakeRunnerStep(deps, finished);
  return { accepted: true, cancelled: false };
}
