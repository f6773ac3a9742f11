import { and, eq, flowExecutions, gte, inArray, sql, type DbOrTx } from "@weft/db";

/**
 * How scheduled runs are tied to their schedule. A run started by a slot carries the idempotency key
 * `schedule:<scheduleId>:<slot ISO>` (and its slot row points at it). The overlap check and the release
 * of queued runs look up a schedule's LIVE runs by that key among live executions (the status index),
 * so their cost does not grow with the slot history.
 */
export const scheduleRunKey = (scheduleId: string, slot: Date) => `schedule:${scheduleId}:${slot.toISOString()}`;
export const scheduleIdOfRunKey = (key: string | null) => /^schedule:([0-9a-f-]{36}):/.exec(key ?? "")?.[1] ?? null;

/**
 * A queued (`queue_one`) run is created pending and HELD: its `wake_at` is this far-future instant, so
 * no worker claims it. The scheduler releases it (wake_at = null + a work NOTIFY) once the schedule has
 * no other live run.
 */
export const HELD_UNTIL = new Date("9999-01-01T00:00:00.000Z");

export type LiveRun = { id: string; held: boolean };

/** The schedule's runs that have not ended (pending, running, paused), held ones marked. */
export async function liveRunsOf(db: DbOrTx, { workspaceId, flowId, scheduleId }: { workspaceId: string; flowId: string; scheduleId: string }): Promise<LiveRun[]> {
  const rows = await db
    .select({ id: flowExecutions.id, status: flowExecutions.status, wakeAt: flowExecutions.wakeAt })
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
  return rows.map((r) => ({ id: r.id, held: r.status === "pending" && r.wakeAt !== null && r.wakeAt.getTime() >= HELD_UNTIL.getTime() }));
}

/** Held runs of every schedule (the release pass). */
export async function heldRuns(db: DbOrTx, limit: number) {
  return db
    .select({ id: flowExecutions.id, workspaceId: flowExecutions.workspaceId, flowId: flowExecutions.flowId, key: flowExecutions.idempotencyKey })
    .from(flowExecutions)
    .where(and(eq(flowExecutions.status, "pending"), eq(flowExecutions.triggerType, "schedule"), gte(flowExecutions.wakeAt, HELD_UNTIL)))
    .limit(limit);
}
