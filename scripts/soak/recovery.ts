/**
 * Recovery time after a disruption (a kill -9 of an engine process, a Postgres restart): the time from
 * the disruption until every run that was active just before it has made progress (a new event, or a
 * new status). Runs that have not progressed within `timeoutMs` make the measurement a miss.
 */
import type { Sql } from "postgres";
import { activeRuns } from "./rows";

export type Snapshot = { at: number; runs: Map<string, { status: string; nextEventIndex: number }> };
export type Recovery = { label: string; ms: number | null; runs: number; stuck: string[] };

/** The active runs now (retried for up to 10 s while the database restarts). Call it just before the disruption. */
export async function snapshot(sql: Sql, workspaceId: string): Promise<Snapshot> {
  for (let attempt = 1; ; attempt++) {
    try {
      const runs = await activeRuns(sql, workspaceId);
      return { at: Date.now(), runs: new Map(runs.map((r) => [r.id, { status: r.status, nextEventIndex: r.nextEventIndex }])) };
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** Polls until every run of the snapshot progressed; `ms` is counted from `since` (the disruption). */
export async function measureRecovery(sql: Sql, label: string, before: Snapshot, since: number, timeoutMs: number): Promise<Recovery> {
  const waiting = new Map(before.runs);
  const ids = [...waiting.keys()];
  const deadline = since + timeoutMs;
  while (waiting.size > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    try {
      const rows = await sql<Array<{ id: string; status: string; next_event_index: number }>>`
        select id, status, next_event_index from flow_executions where id = any(${ids}::uuid[])`;
      for (const row of rows) {
        const was = waiting.get(row.id);
        if (was && (row.status !== was.status || row.next_event_index > was.nextEventIndex)) waiting.delete(row.id);
      }
    } catch {
      // the database is restarting: try again
    }
  }
  return { label, ms: waiting.size === 0 ? Date.now() - since : null, runs: ids.length, stuck: [...waiting.keys()] };
}
