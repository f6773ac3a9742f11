/**
 * Read-only queries of the soak's checks and progress probes: executions, events and block rows of
 * the soak's workspace, straight from the tables (no engine code, so the soak survives engine rebuilds).
 */
import type { Sql } from "postgres";
import type { BlockRow, EventRow, ExecutionRow } from "./checks";

export async function loadExecutions(sql: Sql, workspaceId: string): Promise<ExecutionRow[]> {
  const rows = await sql<Array<{ id: string; status: string; tag: string | null; next_event_index: number; created_at: Date; finished_at: Date | null; error: string | null }>>`
    select id, status, input->>'tag' as tag, next_event_index, created_at, finished_at, error->>'code' || ': ' || (error->>'message') as error
    from flow_executions where workspace_id = ${workspaceId} and kind = 'flow'`;
  return rows.map((r) => ({ id: r.id, status: r.status, tag: r.tag, nextEventIndex: r.next_event_index, createdAt: r.created_at, finishedAt: r.finished_at, error: r.error }));
}

export async function loadEvents(sql: Sql, workspaceId: string): Promise<EventRow[]> {
  const rows = await sql<Array<{ execution_id: string; event_index: number; type: string; node_id: string | null; iteration: string | null; attempt: number | null }>>`
    select execution_id, event_index, type, data->>'nodeId' as node_id, data->>'iteration' as iteration, (data->>'attempt')::int as attempt
    from execution_events where workspace_id = ${workspaceId}`;
  return rows.map((r) => ({ executionId: r.execution_id, index: r.event_index, type: r.type, nodeId: r.node_id, iteration: r.iteration ?? "", attempt: r.attempt }));
}

export async function loadBlocks(sql: Sql, workspaceId: string): Promise<BlockRow[]> {
  const rows = await sql<Array<{ execution_id: string; node_id: string; iteration: string; block_type: string; status: string; attempt: number }>>`
    select execution_id, node_id, iteration, block_type, status, attempt from block_executions where workspace_id = ${workspaceId}`;
  return rows.map((r) => ({ executionId: r.execution_id, nodeId: r.node_id, iteration: r.iteration, blockType: r.block_type, status: r.status, attempt: r.attempt }));
}

/** Runs not yet ended, with how far their event log got (the progress probe of recovery times). */
export async function activeRuns(sql: Sql, workspaceId: string): Promise<Array<{ id: string; status: string; nextEventIndex: number }>> {
  const rows = await sql<Array<{ id: string; status: string; next_event_index: number }>>`
    select id, status, next_event_index from flow_executions
    where workspace_id = ${workspaceId} and status in ('pending', 'running', 'paused')`;
  return rows.map((r) => ({ id: r.id, status: r.status, nextEventIndex: r.next_event_index }));
}
