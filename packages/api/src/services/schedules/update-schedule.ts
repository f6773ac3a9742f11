import { eq, schedules } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { requireValidScheduleInput } from "./check-schedule-input";
import { requireNextSlot } from "./create-schedule";
import { findSchedule } from "./find-schedule";
import { scheduleView, type ScheduleView } from "./schedule-view";
import { UpdateScheduleInput } from "./schemas";

/**
 * Changes a schedule (members and up). A new cron or time zone, or enabling it again, sets the next
 * slot to the first cron time after now: the time it was disabled is not "downtime" to catch up on.
 * Disabling clears the next slot; runs already started or queued are not touched. A new input, or
 * enabling it again, is checked against the Start block's input schema (400 naming `input.<field>`).
 */
export async function updateSchedule(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<ScheduleView> {
  requireRole(actor.role, "member");
  const { scheduleId, flowId, ...changes } = parseInput(UpdateScheduleInput, input);
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const current = await findSchedule(tx, { workspaceId: actor.workspaceId, scheduleId, flowId, lock: true });
    const cron = changes.cron ?? current.cron;
    const timezone = changes.timezone ?? current.timezone;
    const enabled = changes.enabled ?? current.enabled;
    const next = requireNextSlot(cron, timezone, now);
    if (changes.input !== undefined || (enabled && !current.enabled)) {
      await requireValidScheduleInput(tx, { workspaceId: actor.workspaceId, flowId: current.flowId, input: changes.input ?? (current.input as Record<string, unknown> | null) });
    }
    const retimed = cron !== current.cron || timezone !== current.timezone || (enabled && !current.enabled);
    const nextRunAt = !enabled ? null : retimed ? next : current.nextRunAt;
    const [row] = await tx
      .update(schedules)
      .set({
        ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
        nextRunAt,
        updatedAt: now,
      })
      .where(eq(schedules.id, current.id))
      .returning(scheduleView);
    if (!row) throw new Error("schedule update returned nothing");
    const fields = Object.keys(changes).filter((field) => changes[field as keyof typeof changes] !== undefined);
    await audit(tx, actor, "schedule.update", { type: "schedule", id: row.id }, { fields });
    return row;
  });
}
