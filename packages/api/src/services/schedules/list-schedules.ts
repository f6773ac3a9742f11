import { and, asc, eq, schedules } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { findFlow } from "../flows/find-flow";
import { scheduleView, type ScheduleView } from "./schedule-view";
import { ListSchedulesInput } from "./schemas";

/** The schedules of a flow, oldest first (viewers may read; 404 for a deleted flow or another workspace's). */
export async function listSchedules(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<ScheduleView[]> {
  const { flowId } = parseInput(ListSchedulesInput, input);
  await findFlow(deps.db, { workspaceId: actor.workspaceId, flowId });
  return deps.db
    .select(scheduleView)
    .from(schedules)
    .where(and(eq(schedules.workspaceId, actor.workspaceId), eq(schedules.flowId, flowId)))
    .orderBy(asc(schedules.createdAt), asc(schedules.id));
}
