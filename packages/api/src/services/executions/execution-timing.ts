import { and, asc, eq, executionEvents, inArray, type DbOrTx } from "@weft/db";

/**
 * How long a run has been working, apart from the time it waited: `activeMs` sums the intervals it
 * ran (start or resume -> pause or end); `pausedMs` the intervals it was paused (an approval waiting
 * for a person, or a pause someone asked for). The time between a failure and a fix-and-continue
 * counts as neither. While the run is running, `runningSince` is when the current interval began (add
 * now minus that); while paused, `pausedSince`. From the event log's lifecycle events, so every page
 * shows the same figure.
 */
export type RunTiming = { activeMs: number; pausedMs: number; runningSince: Date | null; pausedSince: Date | null };

const LIFECYCLE = ["execution_start", "execution_resumed", "execution_paused", "execution_complete", "execution_error", "execution_cancelled"];

/** The timing of one run from its lifecycle events in log order (pure). */
export function timingOf(events: ReadonlyArray<{ type: string; createdAt: Date }>): RunTiming {
  let activeMs = 0;
  let pausedMs = 0;
  let mode: "running" | "paused" | "ended" | null = null;
  let since = 0;
  for (const event of events) {
    const at = event.createdAt.getTime();
    if (mode === "running") activeMs += Math.max(0, at - since);
    if (mode === "paused") pausedMs += Math.max(0, at - since);
    since = at;
    mode =
      event.type === "execution_start" || event.type === "execution_resumed" ? "running" : event.type === "execution_paused" ? "paused" : LIFECYCLE.includes(event.type) ? "ended" : mode;
  }
  return {
    activeMs,
    pausedMs,
    runningSince: mode === "running" ? new Date(since) : null,
    pausedSince: mode === "paused" ? new Date(since) : null,
  };
}

/** The timing of each of these runs of the workspace, in one query. */
export async function loadTimings(db: DbOrTx, { workspaceId, executionIds }: { workspaceId: string; executionIds: string[] }): Promise<Map<string, RunTiming>> {
  const timings = new Map<string, RunTiming>();
  if (executionIds.length === 0) return timings;
  const rows = await db
    .select({ executionId: executionEvents.executionId, type: executionEvents.type, createdAt: executionEvents.createdAt })
    .from(executionEvents)
    .where(and(eq(executionEvents.workspaceId, workspaceId), inArray(executionEvents.executionId, executionIds), inArray(executionEvents.type, LIFECYCLE)))
    .orderBy(asc(executionEvents.executionId), asc(executionEvents.eventIndex));
  const byRun = new Map<string, Array<{ type: string; createdAt: Date }>>();
  for (const row of rows) {
    const list = byRun.get(row.executionId);
    if (list) list.push(row);
    else byRun.set(row.executionId, [row]);
  }
  for (const id of executionIds) timings.set(id, timingOf(byRun.get(id) ?? []));
  return timings;
}
