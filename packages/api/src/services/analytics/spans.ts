import { sql, type SQL } from "@weft/db";

const HOUR_MS = 3600 * 1000;
/**
 * The rollup levels in hours, coarsest first: 1 is the hourly tables (analytics_node_hours,
 * analytics_latency), the others are rows of analytics_node_spans / analytics_latency_spans (see
 * weft_analytics_spans() in drizzle/0010). A span of S hours starts at a multiple of S hours since the
 * Unix epoch and each span divides the next, so any hour range splits into aligned spans exactly.
 */
export const SPANS = [1536, 384, 96, 24, 6, 1] as const;

/** Consecutive aligned spans of one length: buckets `from` (inclusive) to `to` (exclusive). */
export type Run = { span: number; from: Date; to: Date };

/**
 * The hour range [fromHour, toHour) (hours since the epoch) as few aligned spans of at most `maxSpan`
 * hours: greedily the largest span that starts here and fits, so at most a few spans of each length on
 * each side. Consecutive spans of one length are returned as one run.
 */
export function decompose(fromHour: number, toHour: number, maxSpan: number = SPANS[0]): Run[] {
  const runs: Run[] = [];
  for (let at = fromHour; at < toHour; ) {
    const span = SPANS.find((s) => s <= maxSpan && at % s === 0 && at + s <= toHour) ?? 1;
    const last = runs[runs.length - 1];
    if (last && last.span === span && last.to.getTime() === at * HOUR_MS) last.to = new Date((at + span) * HOUR_MS);
    else runs.push({ span, from: new Date(at * HOUR_MS), to: new Date((at + span) * HOUR_MS) });
    at += span;
  }
  return runs;
}

/** The hours [fromHour, toHour) of a request: hour buckets starting before `to` count (as the hourly rollups did). */
export function hourRange(from: Date, to: Date): { fromHour: number; toHour: number } {
  return { fromHour: Math.floor(from.getTime() / HOUR_MS), toHour: Math.ceil(to.getTime() / HOUR_MS) };
}

/** Full UTC days inside [fromHour, toHour) and the partial-day edges around them. */
export function splitDays(fromHour: number, toHour: number): { edges: Run[]; days: Run | null } {
  const firstDay = Math.ceil(fromHour / 24) * 24;
  const lastDay = Math.floor(toHour / 24) * 24;
  if (firstDay >= lastDay) return { edges: decompose(fromHour, toHour, 6), days: null };
  return {
    edges: [...decompose(fromHour, firstDay, 6), ...decompose(lastDay, toHour, 6)],
    days: { span: 24, from: new Date(firstDay * HOUR_MS), to: new Date(lastDay * HOUR_MS) },
  };
}

const t = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/**
 * Rows of the node rollups (`analytics_node_hours` for span 1, `analytics_node_spans` otherwise)
 * covering `runs`, as one relation with the columns of analytics_node_hours (bucket = span start).
 */
export function nodeRows(workspaceId: string, runs: Run[], flowId: string | undefined): SQL {
  const cols = sql.raw(
    "flow_id, node_id, model, bucket, block_type, runs, failures, tokens_in, tokens_out, cost_usd, priced_calls, unknown_cost_calls, decisions, correct, incorrect, partial",
  );
  const flow = flowId ? sql` and flow_id = ${flowId}::uuid` : sql``;
  const parts = runs.map((r) =>
    r.span === 1
      ? sql`select ${cols} from analytics_node_hours where workspace_id = ${workspaceId}::uuid and bucket >= ${t(r.from)} and bucket < ${t(r.to)}${flow}`
      : sql`select ${cols} from analytics_node_spans where workspace_id = ${workspaceId}::uuid and span = ${r.span}::smallint and bucket >= ${t(r.from)} and bucket < ${t(r.to)}${flow}`,
  );
  return parts.length ? sql.join(parts, sql` union all `) : sql`select ${cols} from analytics_node_hours where false`;
}

/** Histogram rows (flow_id, node_id, bucket, metric, value, n) of the latency rollups covering `runs`. */
export function latencyRows(workspaceId: string, runs: Run[], flowId: string | undefined): SQL {
  const cols = sql.raw("flow_id, node_id, bucket, metric, value, n");
  const flow = flowId ? sql` and flow_id = ${flowId}::uuid` : sql``;
  const parts = runs.map((r) =>
    r.span === 1
      ? sql`select ${cols} from analytics_latency where workspace_id = ${workspaceId}::uuid and bucket >= ${t(r.from)} and bucket < ${t(r.to)}${flow}`
      : sql`select ${cols} from analytics_latency_spans where workspace_id = ${workspaceId}::uuid and span = ${r.span}::smallint and bucket >= ${t(r.from)} and bucket < ${t(r.to)}${flow}`,
  );
  return parts.length ? sql.join(parts, sql` union all `) : sql`select ${cols} from analytics_latency where false`;
}
