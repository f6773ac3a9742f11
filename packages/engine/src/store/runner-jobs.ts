import { and, desc, eq, runnerJobs, type Db, type NotifyBus, type RunnerJob } from "@weft/db";

/** NOTIFY channel that wakes runners long-polling for work; the payload is the workspace id. */
export const RUNNER_WORK_CHANNEL = "weft_runner_work";
/** NOTIFY channel the database sends a job id on when it is cancelled (drizzle/0011's trigger, or revoke). */
export const RUNNER_CANCEL_CHANNEL = "weft_runner_cancel";

/** Block types that run on a self-hosted runner, never on the server. */
export const RUNNER_BLOCK_TYPES: ReadonlySet<string> = new Set(["agent", "script"]);

export type NewRunnerJob = {
  workspaceId: string;
  executionId: string;
  nodeId: string;
  iteration: string;
  attempt: number;
  blockType: string;
  runsOn: string[];
  payload: Record<string, unknown>;
};

/**
 * The queue of steps for self-hosted runners (issue 19). The engine enqueues one job per attempt of an
 * `agent`/`script` node (idempotent: enqueuing the same attempt again returns the existing job) and
 * reads it back when the run resumes; runners claim and finish jobs through the API.
 */
export function createRunnerJobStore({ db, bus }: { db: Db; bus?: NotifyBus }) {
  return {
    /** Enqueues the attempt (or returns the job already enqueued for it) and wakes the workspace's runners. */
    async enqueue(input: NewRunnerJob): Promise<RunnerJob> {
      const idempotencyKey = `${input.executionId}:${input.nodeId}:${input.iteration}`;
      return db.transaction(async (tx) => {
        const [inserted] = await tx
          .insert(runnerJobs)
          .values({ ...input, idempotencyKey })
          .onConflictDoNothing({ target: [runnerJobs.executionId, runnerJobs.nodeId, runnerJobs.iteration, runnerJobs.attempt] })
          .returning();
        if (inserted) {
          if (bus) await bus.notify(tx, RUNNER_WORK_CHANNEL, input.workspaceId);
          return inserted;
        }
        const [existing] = await tx
          .select()
          .from(runnerJobs)
          .where(
            and(
              eq(runnerJobs.executionId, input.executionId),
              eq(runnerJobs.nodeId, input.nodeId),
              eq(runnerJobs.iteration, input.iteration),
              eq(runnerJobs.attempt, input.attempt),
            ),
          );
        if (!existing) throw new Error("runner job vanished while enqueuing");
        return existing;
      });
    },

    /** The newest job of a step (any attempt), or null. */
    async latest({ executionId, nodeId, iteration }: { executionId: string; nodeId: string; iteration: string }): Promise<RunnerJob | null> {
      const [row] = await db
        .select()
        .from(runnerJobs)
        .where(and(eq(runnerJobs.executionId, executionId), eq(runnerJobs.nodeId, nodeId), eq(runnerJobs.iteration, iteration)))
        .orderBy(desc(runnerJobs.attempt))
        .limit(1);
      return row ?? null;
    },
  };
}

export type RunnerJobStore = ReturnType<typeof createRunnerJobStore>;

/** A job still waiting for, or running on, a runner. */
export const isActiveRunnerJob = (status: string) => status === "queued" || status === "claimed";
