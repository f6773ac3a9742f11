import { and, count, eq, schedules } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { findFlow } from "../flows/find-flow";
import { requireValidScheduleInput } from "./check-schedule-input";
import { nextSlot } from "./cron";
import { scheduleView, type ScheduleView } from "./schedule-view";
import { CreateScheduleInput, SCHEDULE_LIMITS } from "./schemas";

/** The first slot after `now`, or a 400 on `cron` for an expression that never matches (e.g. `0 0 31 2 *`). */
export function requireNextSlot(cron: string, timezone: string, now: Date): Date {
  const next = nextSlot(cron, timezone, now);
  if (!next) throw new AppError("BAD_REQUEST", "cron: This expression never matches a date", { path: "cron" });
  return next;
}

/**
 * A new schedule of a flow (members and up). Its first slot is the first cron time after now; its input
 * must satisfy the Start block's input schema (400 naming `input.<field>`).
 */
export async function createSchedule(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<ScheduleView> {
  requireRole(actor.role, "member");
  const { flowId, ...settings } = parseInput(CreateScheduleInput, input);
  const now = deps.now();
  const nextRunAt = requireNextSlot(settings.cron, settings.timezone, now);
  return deps.db.transaction(async (tx) => {
    // The flow row lock serializes creations, so the per-flow limit holds.
    await findFlow(tx, { workspaceId: actor.workspaceId, flowId, lock: true });
    await requireValidScheduleInput(tx, { workspaceId: actor.workspaceId, flowId, input: settings.input ?? null });
    const [existing] = await tx
      .select({ n: count() })
      .from(schedules)
      .where(and(eq(schedules.workspaceId, actor.workspaceId), eq(schedules.flowId, flowId)));
    if ((existing?.n ?? 0) >= SCHEDULE_LIMITS.perFlow) {
      throw new AppError("BAD_REQUEST", `flowId: A flow has at most ${SCHEDULE_LIMITS.perFlow} schedules`, { path: "flowId" });
    }
    const [row] = await tx
      .insert(schedules)
      .values({
        workspaceId: actor.workspaceId,
        flowId,
        ...settings,
        input: settings.input ?? null,
        nextRunAt: settings.enabled ? nextRunAt : null,
        createdAt: now,
        updatedAt: now,
      })
      .returning(scheduleView);
    if (!row) throw new Error("schedule insert returned nothing");
    await audit(tx, actor, "schedule.create", { type: "schedule", id: row.id }, { flowId, cron: row.cron, timezone: row.timezone });
    return row;
  });
}
