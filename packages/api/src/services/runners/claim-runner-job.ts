import { and, arrayContained, asc, eq, lt, or, runnerJobs, sql, type RunnerJob } from "@weft/db";
import { RUNNER_WORK_CHANNEL } from "@weft/engine";
import type { Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { loadRunVariables } from "../variables/load-run-variables";
import type { RunnerIdentity } from "./authenticate-runner";
import { runnerHub } from "./runner-hub";
import { runnerJobView, stepLogEvent, type RunnerJobView } from "./runner-job-view";
import { runnerSettings } from "./runner-settings";
import { ClaimRunnerJobInput } from "./schemas";

/**
 * Long-poll claim: the oldest job of the runner's own workspace whose `runs_on` labels the runner has,
 * queued or left by a runner that stopped heartbeating for a lease period (then it is the same job,
 * with the same idempotency key). Waits up to `waitMs`, woken by NOTIFY when a job is enqueued.
 */
export async function claimRunnerJob(
  deps: Deps,
  { runner, input, signal }: { runner: RunnerIdentity; input: unknown; signal?: AbortSignal },
): Promise<(RunnerJobView & { env: Record<string, string> }) | null> {
  const { waitMs } = parseInput(ClaimRunnerJobInput, input);
  const { leaseMs, pollMs } = runnerSettings(deps);
  const deadline = Date.now() + waitMs;
  const waiter = waitMs > 0 ? await runnerHub(deps.bus, RUNNER_WORK_CHANNEL).arm(runner.workspaceId) : null;
  try {
    for (;;) {
      const job = await claimOnce(deps, runner, leaseMs);
      if (job) return { ...runnerJobView(job), env: await resolveEnv(deps, job) };
      const left = deadline - Date.now();
      if (!waiter || left <= 0 || signal?.aborted) return null;
      await waiter.wait(Math.min(left, pollMs), signal);
    }
  } finally {
    waiter?.dispose();
  }
}

/**
 * `env` of a step names workspace variables: their values go to the runner with the claim only (the
 * job row keeps the names, never a secret value).
 */
async function resolveEnv(deps: Deps, job: RunnerJob): Promise<Record<string, string>> {
  const names = (job.payload as { env?: unknown }).env;
  if (!Array.isArray(names) || names.length === 0) return {};
  const { env } = await loadRunVariables(deps, { workspaceId: job.workspaceId });
  return Object.fromEntries(names.filter((n): n is string => typeof n === "string" && n in env).map((n) => [n, env[n]!]));
}

async function claimOnce(deps: Deps, runner: RunnerIdentity, leaseMs: number): Promise<RunnerJob | null> {
  const row = await deps.db.transaction(async (tx) => {
    const [candidate] = await tx
      .select({ id: runnerJobs.id })
      .from(runnerJobs)
      .where(
        and(
          eq(runnerJobs.workspaceId, runner.workspaceId),
          or(eq(runnerJobs.status, "queued"), and(eq(runnerJobs.status, "claimed"), lt(runnerJobs.leaseExpiresAt, sql`now()`))),
          arrayContained(runnerJobs.runsOn, runner.labels),
        ),
      )
      .orderBy(asc(runnerJobs.createdAt))
      .limit(1)
      .for("update", { skipLocked: true });
    if (!candidate) return null;
    const [claimed] = await tx
      .update(runnerJobs)
      .set({
        status: "claimed",
        runnerId: runner.runnerId,
        claims: sql`${runnerJobs.claims} + 1`,
        leaseExpiresAt: sql`now() + make_interval(secs => ${leaseMs / 1000})`,
        claimedAt: sql`now()`,
      })
      .where(eq(runnerJobs.id, candidate.id))
      .returning();
    return claimed ?? null;
  });
  if (!row) return null;
  const line =
    row.claims > 1
      ? `The runner that had this step stopped heartbeating; re-queued (same idempotency key) and claimed by runner ${runner.name}`
      : `Claimed by runner ${runner.name}`;
  await deps.executions.appendEvents({ workspaceId: row.workspaceId, executionId: row.executionId, events: [stepLogEvent(row, [{ level: "info", message: line }])] });
  return row;
}
