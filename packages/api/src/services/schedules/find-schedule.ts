import { and, eq, flows, isNull, schedules, type DbOrTx } from "@weft/db";
import { notFound } from "../../lib/errors";
import { scheduleView, type ScheduleView } from "./schedule-view";

/**
 * The schedule `scheduleId` of `workspaceId` (and of `flowId` when given), whose flow is not deleted;
 * optionally locked for the transaction. Anything else is a 404.
 */
export async function findSchedule(
  db: DbOrTx,
  { workspaceId, scheduleId, flowId, lock = false }: { workspaceId: string; scheduleId: string; flowId?: string; lock?: boolean },
): Promise<ScheduleView> {
  const query = db
    .select(scheduleView)
    .from(schedules)
    .innerJoin(flows, and(eq(flows.id, schedules.flowId), eq(flows.workspaceId, workspaceId), isNull(flows.deletedAt)))
    .where(and(eq(schedules.id, scheduleId), eq(schedules.workspaceId, workspaceId), flowId ? eq(schedules.flowId, flowId) : undefined));
  const [row] = lock ? await query.for("update", { of: schedules }) : await query;
  if (!row) throw notFound("Schedule");
  return row;
}
