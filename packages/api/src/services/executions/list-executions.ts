import { and, blockExecutions, desc, eq, executionEvents, flowExecutions, flows, gte, ilike, inArray, lt, or, sql } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { afterCursor, encodeCursor, exactTime } from "../../lib/cursor";
import { parseInput } from "../../lib/validation";
import { loadTimings, type RunTiming } from "./execution-timing";
import { ListExecutionsInput } from "./schemas";

export type ExecutionListItem = {
  id: string;
  flowId: string;
  flowName: string;
  flowVersionId: string | null;
  status: string;
  triggerType: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
  durationMs: number | null;
  tokensIn: number;
  tokensOut: number;
  tokens: number;
  /** USD; null = unknown (a model without a price), never silently 0. */
  costUsd: number | null;
  error: { code: string; message: string; nodeId?: string } | null;
  retryOfExecutionId: string | null;
  /** The run's name (null when unnamed) and tags. */
  name: string | null;
  tags: string[];
  /**
   * The node the run is at: its running block (the one started last), else the node that completed
   * or failed last (by the event log); null before any node started.
   */
  currentNodeId: string | null;
  /** `data.phase` of the current node in the run's pinned graph; null when it has none. */
  phase: string | null;
  /** The current node's label (`data.label`) and block type in the pinned graph; null when unknown. */
  currentNodeLabel: string | null;
  currentNodeType: string | null;
  /** Paused at an approval block that waits for a person (not a pause someone asked for). */
  awaitingApproval: boolean;
  /** Active and paused time (see RunTiming), the run's time on every page. */
  timing: RunTiming;
  /** The distinct phases of the run's graph, in node order (empty when its nodes carry none). */
  phases: string[];
};

type CurrentNode = { nodeId: string; phase: string | null; label: string | null; type: string | null };

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
/** Something that can start an execution id (hex digits and dashes). */
const ID_PREFIX_RE = /^[0-9a-f-]+$/i;


/** The workspace's executions, newest first (createdAt desc, id desc), with cursor pagination. */
export async function listExecutions(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ items: ExecutionListItem[]; nextCursor: string | null }> {
  const { flowId, status, triggerType, createdFrom, createdTo, search, tag, kind, cursor, limit } = parseInput(ListExecutionsInput, input);
  const e = flowExecutions;
  const conditions = [
    eq(e.workspaceId, actor.workspaceId),
    eq(e.kind, kind),
    flowId ? eq(e.flowId, flowId) : undefined,
    status ? eq(e.status, status) : undefined,
    triggerType ? eq(e.triggerType, triggerType) : undefined,
    createdFrom ? gte(e.createdAt, createdFrom) : undefined,
    createdTo ? lt(e.createdAt, createdTo) : undefined,
    tag ? sql`${tag} = any(${e.tags})` : undefined,
    search
      ? or(
          ilike(flows.name, `%${escapeLike(search)}%`),
          ilike(e.name, `%${escapeLike(search)}%`),
          sql`${search.toLowerCase()} = any(${e.tags})`,
          ID_PREFIX_RE.test(search) ? sql`${e.id}::text like ${`${escapeLike(search.toLowerCase())}%`}` : undefined,
        )
      : undefined,
  ];
  if (cursor) {
    conditions.push(afterCursor(e.createdAt, e.id, cursor));
  }
  const rows = await deps.db
    .select({
      id: e.id,
      flowId: e.flowId,
      flowName: flows.name,
      flowVersionId: e.flowVersionId,
      status: e.status,
      triggerType: e.triggerType,
      startedAt: e.startedAt,
      finishedAt: e.finishedAt,
      createdAt: e.createdAt,
      createdAtExact: exactTime(e.createdAt),
      durationMs: e.durationMs,
      tokensIn: e.tokensIn,
      tokensOut: e.tokensOut,
      costUsd: e.costUsd,
      error: e.error,
      retryOfExecutionId: e.retryOfExecutionId,
      name: e.name,
      tags: e.tags,
      // Distinct phases of the pinned graph, ordered by the first node that carries each.
      phases: sql<string[] | null>`(
        select jsonb_agg(p.phase order by p.at) from (
          select n.node->'data'->>'phase' as phase, min(n.at) as at
          from jsonb_array_elements(coalesce(${e.graph}->'nodes', '[]'::jsonb)) with ordinality as n(node, at)
          where jsonb_typeof(n.node->'data'->'phase') = 'string'
          group by 1
        ) p
      )`,
    })
    .from(e)
    .innerJoin(flows, and(eq(flows.id, e.flowId), eq(flows.workspaceId, actor.workspaceId)))
    .where(and(...conditions))
    .orderBy(desc(e.createdAt), desc(e.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const current = await currentNodes(deps, actor.workspaceId, page.map((row) => row.id));
  const timings = await loadTimings(deps.db, { workspaceId: actor.workspaceId, executionIds: page.map((row) => row.id) });
  return {
    items: page.map(({ createdAtExact: _exact, costUsd, phases, ...row }) => ({
      ...row,
      tokens: row.tokensIn + row.tokensOut,
      costUsd: costUsd == null ? null : Number(costUsd),
      currentNodeId: current.get(row.id)?.nodeId ?? null,
      phase: current.get(row.id)?.phase ?? null,
      currentNodeLabel: current.get(row.id)?.label ?? null,
      currentNodeType: current.get(row.id)?.type ?? null,
      awaitingApproval: row.status === "paused" && current.get(row.id)?.type === "approval",
      timing: timings.get(row.id)!,
      phases: phases ?? [],
    })),
    nextCursor: rows.length > limit && last ? encodeCursor(last.createdAtExact, last.id) : null,
  };
}

/**
 * The current node of each execution, in one query for the whole page: its running block (the one
 * started last), else the node of its last `node_complete` or `node_error` event (the event log, not
 * the block rows' timestamps, orders steps that finished within the same millisecond or commit), with
 * that node's `data.phase`, label and type from the execution's pinned graph. Both lookups are index
 * scans: block rows by (workspace_id, execution_id), events backwards along (execution_id, event_index).
 */
async function currentNodes(deps: Deps, workspaceId: string, executionIds: string[]): Promise<Map<string, CurrentNode>> {
  if (executionIds.length === 0) return new Map();
  const e = flowExecutions;
  const b = blockExecutions;
  const ev = executionEvents;
  // Correlated subqueries, built with the query builder so the outer columns come out qualified.
  const running = deps.db
    .select({ nodeId: b.nodeId })
    .from(b)
    .where(and(eq(b.workspaceId, e.workspaceId), eq(b.executionId, e.id), eq(b.status, "running")))
    .orderBy(sql`${b.startedAt} desc nulls last`, desc(b.updatedAt))
    .limit(1);
  const lastFinished = deps.db
    .select({ nodeId: sql<string>`${ev.data}->>'nodeId'` })
    .from(ev)
    .where(and(eq(ev.executionId, e.id), inArray(ev.type, ["node_complete", "node_error"])))
    .orderBy(desc(ev.eventIndex))
    .limit(1);
  const current = deps.db
    .select({ executionId: e.id, graph: e.graph, nodeId: sql<string | null>`coalesce((${running}), (${lastFinished}))`.as("node_id") })
    .from(e)
    .where(and(eq(e.workspaceId, workspaceId), inArray(e.id, executionIds)))
    .as("current");
  const rows = await deps.db
    .select({
      executionId: current.executionId,
      nodeId: current.nodeId,
      node: sql<{ phase?: unknown; label?: unknown; type?: unknown } | null>`(
        select jsonb_build_object('phase', n.node->'data'->'phase', 'label', n.node->'data'->'label', 'type', n.node->'type')
        from jsonb_array_elements(coalesce(${current.graph}->'nodes', '[]'::jsonb)) as n(node)
        where n.node->>'id' = ${current.nodeId}
        limit 1
      )`,
    })
    .from(current);
  const text = (value: unknown) => (typeof value === "string" && value.length > 0 ? value : null);
  const byId = new Map<string, CurrentNode>();
  for (const row of rows) {
    if (row.nodeId) byId.set(row.executionId, { nodeId: row.nodeId, phase: text(row.node?.phase), label: text(row.node?.label), type: text(row.node?.type) });
  }
  return byId;
}
