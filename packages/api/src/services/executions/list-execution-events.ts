import { and, asc, eq, executionEvents, gte } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { findExecution } from "./execution-access";
import { ListExecutionEventsInput } from "./schemas";

/** A page of an execution's event log from `fromIndex`; `nextIndex` is where the next page starts. */
export async function listExecutionEvents(deps: Deps, { actor, input }: { actor: Actor; input: unknown }) {
  const { executionId, fromIndex, limit } = parseInput(ListExecutionEventsInput, input);
  await findExecution(deps, { workspaceId: actor.workspaceId, executionId });
  const events = await deps.db
    .select({ index: executionEvents.eventIndex, type: executionEvents.type, data: executionEvents.data, createdAt: executionEvents.createdAt })
    .from(executionEvents)
    .where(
      and(
        eq(executionEvents.executionId, executionId),
        eq(executionEvents.workspaceId, actor.workspaceId),
        gte(executionEvents.eventIndex, fromIndex),
      ),
    )
    .orderBy(asc(executionEvents.eventIndex))
    .limit(limit);
  const last = events.at(-1);
  return { events, nextIndex: last ? last.index + 1 : fromIndex };
}
