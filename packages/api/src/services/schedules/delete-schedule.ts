import { cancelExecution, TransitionRefusedError } from "@weft/engine";
import { eq, schedules } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { findSchedule } from "./find-schedule";
import { liveRunsOf } from "./scheduled-runs";
import { ScheduleIdInput } from "./schemas";

/**
 * Deletes a schedule and its slot history (members and up). Runs it started keep going; a run it
 * queued and still holds is cancelled (nothing would release it any more).
 */
export async function deleteSchedule(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ id: string }> {
  requireRole(actor.role, "member");
  const { scheduleId, flowId } = parseInput(ScheduleIdInput, input);
  const held = await deps.db.transaction(async (tx) => {
    const schedule = await findSchedule(tx, { workspaceId: actor.workspaceId, scheduleId, flowId, lock: true });
    const live = await liveRunsOf(tx, { workspaceId: actor.workspaceId, flowId: schedule.flowId, scheduleId });
    await tx.delete(schedules).where(eq(schedules.id, schedule.id));
    await audit(tx, actor, "schedule.delete", { type: "schedule", id: schedule.id }, { flowId: schedule.flowId });
    return live.filter((run) => run.held);
  });
  for (const run of held) {
    try {
      await cancelExecution(deps.executions, { executionId: run.id, by: actor.userId });
    } catch (error) {
      // Released and finished in the meantime: nothing to cancel.
      if (!(error instanceof TransitionRefusedError)) throw error;
    }
  }
  return { id: scheduleId };
}
