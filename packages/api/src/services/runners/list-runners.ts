import { and, asc, eq, inArray, runnerJobs, runners } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { isOnline, runnerSettings } from "./runner-settings";

export type RunnerSummary = {
  id: string;
  name: string;
  prefix: string;
  labels: string[];
  version: string | null;
  hostname: string | null;
  online: boolean;
  lastSeenAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  /** The step it runs now, if any. */
  currentStep: { jobId: string; executionId: string; nodeId: string; blockType: string } | null;
};

/** The workspace's runners (any role may read): labels, online or not, version, current step, last seen. */
export async function listRunners(deps: Deps, { actor }: { actor: Actor }): Promise<RunnerSummary[]> {
  const rows = await deps.db
    .select({
      id: runners.id,
      name: runners.name,
      prefix: runners.prefix,
      labels: runners.labels,
      version: runners.version,
      hostname: runners.hostname,
      lastSeenAt: runners.lastSeenAt,
      revokedAt: runners.revokedAt,
      createdAt: runners.createdAt,
    })
    .from(runners)
    .where(eq(runners.workspaceId, actor.workspaceId))
    .orderBy(asc(runners.createdAt));
  const ids = rows.map((r) => r.id);
  const jobs = ids.length
    ? await deps.db
        .select({ id: runnerJobs.id, runnerId: runnerJobs.runnerId, executionId: runnerJobs.executionId, nodeId: runnerJobs.nodeId, blockType: runnerJobs.blockType })
        .from(runnerJobs)
        .where(and(eq(runnerJobs.workspaceId, actor.workspaceId), eq(runnerJobs.status, "claimed"), inArray(runnerJobs.runnerId, ids)))
    : [];
  const { leaseMs } = runnerSettings(deps);
  const now = deps.now();
  return rows.map((r) => {
    const job = jobs.find((j) => j.runnerId === r.id);
    return {
      ...r,
      online: r.revokedAt === null && isOnline(r.lastSeenAt, now, leaseMs),
      currentStep: job ? { jobId: job.id, executionId: job.executionId, nodeId: job.nodeId, blockType: job.blockType } : null,
    };
  });
}
