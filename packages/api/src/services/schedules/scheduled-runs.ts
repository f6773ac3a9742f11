import { and, eq, flowExecutions, inArray, sql, type DbOrTx } from "@weft/db";

/**
 * How scheduled runs are tied to their schedule. A run started by a slot carries the idempotency key
 * `schedule:<scheduleId>:<slot ISO>` (and its slot row points at it). The overlap check and the release
 * of queued runs look up a schedule's LIVE runs by that key among live executions (the status index),
 * so their cost does not grow with the slot history.
 */
export const scheduleRunKey = (scheduleId: string, slot: Date) => `schedule:${scheduleId}:${slot.toISOString()}`;
export const scheduleIdOfRunKey = (key: string | null) => /^schedule:([0-9a-f-]{36}):/.exec(key ?? "")?.[1] ?? null;

// A queued (`queue_one`) run is created pending and held (flow_executions.held), so no worker claims
// it. The scheduler releases it (ExecutionStore.releaseHeld) once the schedule has no other live run.

export type LiveRun = { id: string; held: boolean };

/** The schedule's runs that have not ended (pending, running, paused), held ones marked. */
export async function liveRunsOf(db: DbOrTx, { workspaceId, flowId, scheduleId }: { workspaceId: string; flowId: string; scheduleId: string }): Promise<LiveRun[]> {
  const rows = await db
    .select({ id: flowExecutions.id, held: flowExecutions.held })
    .from(flowExecutions)
    .where(
      and(
        inArray(flowExecutions.status, ["pending", "running", "paused"]),
        eq(flowExecutions.workspaceId, workspaceId),
        eq(flowExecutions.flowId, flowId),
        eq(flowExecutions.triggerType, "schedule"),
        sql`${flowExecutions.idempotencyKey} like ${`schedule:${scheduleId}:%`}`,
      ),
    );
  return rows;
}

/**
 * Held runs (of every schedule) that look releasable: no other live run of their schedule. The
 * release pass re-checks each under the schedule's row lock; this query keeps that to the candidates.
 */
export async function releasableRuns(db: DbOrTx, limit: number) {
  const e = flowExecutions;
  const sameSchedule = sql`(split_part(${e.idempotencyKey}, ':', 1) || ':' || split_part(${e.idempotencyKey}, ':', 2) || ':%')`;
  return db
    .select({ id: e.id, workspaceId: e.workspaceId, flowId: e.flowId, key: e.idempotencyKey })
    .from(e)
    .where(
      and(
        eq(e.status, "pending"),
        eq(e.triggerType, "schedule"),
        eq(e.held, true),
        sql`not exists (
          select 1 from flow_executions a
          where a.status in ('pending', 'running', 'paused') and a.workspace_id = ${e.workspaceId} and a.flow_id = ${e.flowId}
            and a.trigger_type = 'schedule' and a.idempotency_key like ${sameSchedule}
            and not a.held
        )`,
      ),
    )
    .limit(limit);
}
