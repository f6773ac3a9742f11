import { and, flowExecutions, inArray, lt, rateLimits, scheduleSlots, sql, webhookInvocations, workspaces, type DbOrTx } from "@weft/db";
import type { Deps } from "../../lib/context";

export type PruneOptions = {
  /** Rows deleted per statement: small, so no delete holds locks the engine waits on for long. */
  batchSize?: number;
  /** Batches per table per call; the job runs again later for the rest. */
  maxBatches?: number;
};

/** What one pass removed, per table. */
export type PruneReport = { executions: number; webhookInvocations: number; scheduleSlots: number; rateLimits: number };

const ENDED = ["completed", "failed", "cancelled"] as const;

/**
 * Deletes what has outlived its workspace's retention period (`workspaces.retention_days`, default 30):
 * ended runs (through the store, so their steps and events go with them and the analytics rollups
 * subtract them in the same statement), webhook invocations and schedule slots; and rate-limit windows
 * that have ended. Works oldest first, in small batches, each its own transaction.
 */
export async function pruneExpired(deps: Pick<Deps, "db" | "executions" | "now">, options: PruneOptions = {}): Promise<PruneReport> {
  const batchSize = options.batchSize ?? 200;
  const maxBatches = options.maxBatches ?? 50;
  const now = deps.now();
  const report: PruneReport = { executions: 0, webhookInvocations: 0, scheduleSlots: 0, rateLimits: 0 };
  // Dates go in as ISO strings: postgres.js does not serialise Date parameters of raw SQL.
  const cutoff = sql`${now.toISOString()}::timestamptz - make_interval(days => ${workspaces.retentionDays})`;

  const batches = async (deleteBatch: () => Promise<number>) => {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const n = await deleteBatch();
      total += n;
      if (n < batchSize) break;
    }
    return total;
  };

  report.executions = await batches(async () => {
    const expired = await deps.db
      .select({ id: flowExecutions.id, workspaceId: flowExecutions.workspaceId })
      .from(flowExecutions)
      .innerJoin(workspaces, sql`${workspaces.id} = ${flowExecutions.workspaceId}`)
      .where(and(inArray(flowExecutions.status, [...ENDED]), lt(flowExecutions.finishedAt, cutoff)))
      .orderBy(flowExecutions.finishedAt)
      .limit(batchSize);
    const byWorkspace = new Map<string, string[]>();
    for (const row of expired) byWorkspace.set(row.workspaceId, [...(byWorkspace.get(row.workspaceId) ?? []), row.id]);
    let deleted = 0;
    for (const [workspaceId, executionIds] of byWorkspace) {
      deleted += (await deps.executions.deleteEnded({ workspaceId, executionIds })).deleted.length;
    }
    // A run that resumed meanwhile is left alone; count what was selected so the loop moves on.
    return Math.max(deleted, expired.length);
  });

  report.webhookInvocations = await batches(() =>
    deleteIds(deps.db, sql`
      delete from ${webhookInvocations} where ${webhookInvocations.id} in (
        select i.id from ${webhookInvocations} i join ${workspaces} on ${workspaces.id} = i.workspace_id
        where i.created_at < ${cutoff} order by i.created_at limit ${batchSize})`),
  );
  report.scheduleSlots = await batches(() =>
    deleteIds(deps.db, sql`
      delete from ${scheduleSlots} where (${scheduleSlots.scheduleId}, ${scheduleSlots.slotAt}) in (
        select s.schedule_id, s.slot_at from ${scheduleSlots} s join ${workspaces} on ${workspaces.id} = s.workspace_id
        where s.slot_at < ${cutoff} and s.created_at < ${cutoff} order by s.slot_at limit ${batchSize})`),
  );
  report.rateLimits = await batches(() =>
    deleteIds(deps.db, sql`
      delete from ${rateLimits} where ${rateLimits.key} in (
        select key from ${rateLimits} where reset_at < ${now.toISOString()}::timestamptz limit ${batchSize})`),
  );
  return report;
}

async function deleteIds(db: DbOrTx, statement: ReturnType<typeof sql>): Promise<number> {
  const result = await db.execute(statement);
  return Number((result as { count?: number; rowCount?: number }).count ?? (result as { rowCount?: number }).rowCount ?? 0);
}
