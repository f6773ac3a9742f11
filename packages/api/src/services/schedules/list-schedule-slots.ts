import { and, desc, eq, flowExecutions, lt, scheduleSlots, type ScheduleSlotOutcome } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { findSchedule } from "./find-schedule";
import { ListScheduleSlotsInput } from "./schemas";

export type ScheduleSlotItem = {
  slotAt: Date;
  outcome: ScheduleSlotOutcome;
  executionId: string | null;
  /** The run's status now (null: no run, or it was deleted). */
  executionStatus: string | null;
  error: string | null;
  createdAt: Date;
};

/** The slots a schedule handled (started, queued, skipped, failed, missed), newest first, with cursor pagination. */
export async function listScheduleSlots(
  deps: Deps,
  { actor, input }: { actor: Actor; input: unknown },
): Promise<{ items: ScheduleSlotItem[]; nextCursor: string | null }> {
  const { scheduleId, flowId, cursor, limit } = parseInput(ListScheduleSlotsInput, input);
  await findSchedule(deps.db, { workspaceId: actor.workspaceId, scheduleId, flowId });
  const s = scheduleSlots;
  const rows = await deps.db
    .select({
      slotAt: s.slotAt,
      outcome: s.outcome,
      executionId: s.executionId,
      executionStatus: flowExecutions.status,
      error: s.error,
      createdAt: s.createdAt,
    })
    .from(s)
    .leftJoin(flowExecutions, and(eq(flowExecutions.id, s.executionId), eq(flowExecutions.workspaceId, actor.workspaceId)))
    .where(and(eq(s.workspaceId, actor.workspaceId), eq(s.scheduleId, scheduleId), cursor ? lt(s.slotAt, new Date(cursor)) : undefined))
    .orderBy(desc(s.slotAt))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.slotAt.toISOString() ?? null) : null };
}
