import { and, eq, runnerJobs, sql, type RunnerJob } from "@weft/db";
import type { Deps } from "../../lib/context";
import { AppError, notFound } from "../../lib/errors";
import type { RunnerIdentity } from "./authenticate-runner";
import { runnerSettings } from "./runner-settings";

/**
 * Renews the runner's claim on a job (its heartbeat). `cancel: true` when the job was cancelled (the
 * runner kills the step); 404 for another workspace's job; 409 when the job is no longer this
 * runner's (re-queued after a missed heartbeat, or finished): the runner stops the step.
 */
export async function renewClaim(deps: Deps, runner: RunnerIdentity, jobId: string): Promise<{ cancel: boolean; job: RunnerJob }> {
  const { leaseMs } = runnerSettings(deps);
  const [renewed] = await deps.db
    .update(runnerJobs)
    .set({ leaseExpiresAt: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
    .where(and(eq(runnerJobs.id, jobId), eq(runnerJobs.workspaceId, runner.workspaceId), eq(runnerJobs.runnerId, runner.runnerId), eq(runnerJobs.status, "claimed")))
    .returning();
  if (renewed) return { cancel: false, job: renewed };
  const job = await readRunnerJob(deps, runner, jobId);
  if (job.status === "cancelled" && job.runnerId === runner.runnerId) return { cancel: true, job };
  throw notYours();
}

/** A job of the runner's workspace (404 otherwise, also for other workspaces' ids). */
export async function readRunnerJob(deps: Deps, runner: RunnerIdentity, jobId: string): Promise<RunnerJob> {
  const [job] = await deps.db.select().from(runnerJobs).where(and(eq(runnerJobs.id, jobId), eq(runnerJobs.workspaceId, runner.workspaceId)));
  if (!job) throw notFound("Runner job");
  return job;
}

export const notYours = () =>
  new AppError("CONFLICT", "This step is no longer claimed by this runner (it missed its heartbeat and was re-queued, or it finished): stop it");
