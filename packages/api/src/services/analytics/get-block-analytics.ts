import { sql, type SQL } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { rowsOf } from "../../lib/rows";
import { parseInput } from "../../lib/validation";
import { costOrNull, resolveRange } from "./range";
import { BlockAnalyticsInput } from "./schemas";
import { decompose, hourRange, latencyRows, nodeRows, splitDays, type Run } from "./spans";

export type BlockFigures = {
  flowId: string;
  flowName: string | null;
  nodeId: string;
  blockType: string;
  runs: number;
  failures: number;
  /** completed / runs; null without runs. */
  successRate: number | null;
  /** Nearest-rank percentiles of the duration in ms, to two significant digits; null without durations. */
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  p50TtftMs: number | null;
  tokensIn: number;
  tokensOut: number;
  /** USD; null when any model call had no known price (`unknownCostCalls` of them). */
  costUsd: number | null;
  knownCostUsd: number;
  unknownCostCalls: number;
  decisions: number;
  /** correct / (correct + incorrect); null without such feedback. */
  accuracy: number | null;
  /** Decisions with feedback (correct, incorrect or partial). */
  feedbackCount: number;
  correct: number;
  incorrect: number;
  partial: number;
};

export type BlockAnalytics = {
  from: Date;
  to: Date;
  bucket: "hour" | "day";
  /** Per node and bucket (bucket start, UTC). */
  series: Array<BlockFigures & { bucket: Date }>;
  /** Per node over the whole range. */
  totals: BlockFigures[];
};

/** One node's figures over one bucket (or the range), as read: sums and percentiles. */
type Row = {
  flow_id: string;
  node_id: string;
  block_type: string;
  b: Date | string | null;
  runs: number;
  failures: number;
  tokens_in: number;
  tokens_out: number;
  cost_usd: string;
  unknown_cost_calls: number;
  decisions: number;
  correct: number;
  incorrect: number;
  partial: number;
  duration_p50: number | null;
  duration_p95: number | null;
  ttft_p50: number | null;
};
type PercentileRow = { flow_id: string; node_id: string; b: Date | string | null; metric: number; p50: number | null; p95: number | null };
type Tx = Parameters<Parameters<Deps["db"]["transaction"]>[0]>[0];

/**
 * Per node (and per hour or day): runs, failures, success rate, p50/p95 duration, p50 TTFT, tokens,
 * cost and feedback accuracy, read from the rollups that the database keeps exact at commit time —
 * never from the raw block rows. Whole hours and days come as kept (analytics_node_stats); the range's
 * totals and partial days at its edges are summed, and their histograms merged, over few aligned spans.
 */
export async function getBlockAnalytics(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<BlockAnalytics> {
  const parsed = parseInput(BlockAnalyticsInput, input ?? {});
  const { from, to } = resolveRange(parsed, deps.now());
  const unit = parsed.bucket;
  const [bucketed, overall] = await Promise.all([
    figures(deps, actor.workspaceId, from, to, parsed.flowId, unit),
    figures(deps, actor.workspaceId, from, to, parsed.flowId, null),
  ]);
  const flowIds = [...new Set(overall.map((r) => r.flow_id))];
  const names = new Map<string, string>();
  if (flowIds.length) {
    const rows = rowsOf<{ id: string; name: string }>(
      await deps.db.execute(sql`select id, name from flows where workspace_id = ${actor.workspaceId}::uuid and id = any(${`{${flowIds.join(",")}}`}::uuid[])`),
    );
    for (const r of rows) names.set(r.id, r.name);
  }
  const series = bucketed.map((r) => ({ ...toFigures(r, names), bucket: new Date(r.b as Date) }));
  const totals = overall.map((r) => toFigures(r, names));
  return {
    from,
    to,
    bucket: unit,
    series: series.sort((a, b) => a.bucket.getTime() - b.bucket.getTime() || byNode(a, b)),
    totals: totals.sort(byNode),
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byNode = (a: BlockFigures, b: BlockFigures) => compare(a.flowId, b.flowId) || compare(a.nodeId, b.nodeId);

async function figures(deps: Deps, workspaceId: string, from: Date, to: Date, flowId: string | undefined, unit: "hour" | "day" | null): Promise<Row[]> {
  const { label, kept, merged } = plan(from, to, unit);
  const flow = flowId ? sql`and flow_id = ${flowId}::uuid` : sql``;
  // Summing a week of hours is ~35k groups: room to do it in memory, for this transaction only.
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`set local work_mem = '64MB'`);
    const rows = kept
      ? rowsOf<Row>(
          await tx.execute(sql`
            select flow_id, node_id, bucket as b, block_type, runs, failures, tokens_in::float8 as tokens_in, tokens_out::float8 as tokens_out,
                   cost_usd::text as cost_usd, unknown_cost_calls, decisions, correct, incorrect, partial, duration_p50, duration_p95, ttft_p50
              from analytics_node_stats
             where workspace_id = ${workspaceId}::uuid and span = ${kept.span}::smallint
               and bucket >= ${kept.from.toISOString()}::timestamptz and bucket < ${kept.to.toISOString()}::timestamptz ${flow}
               and (runs <> 0 or decisions <> 0)`),
        )
      : [];
    return merged.length ? [...rows, ...(await mergedFigures(tx, workspaceId, merged, label, flowId))] : rows;
  });
}

/** Figures summed and percentiles merged over the spans of `runs`, per node and `label`. */
async function mergedFigures(tx: Tx, workspaceId: string, runs: Run[], label: SQL, flowId: string | undefined): Promise<Row[]> {
  const sums = rowsOf<Omit<Row, "duration_p50" | "duration_p95" | "ttft_p50">>(
    await tx.execute(sql`
      select h.flow_id, h.node_id, ${label} as b, max(h.block_type) as block_type,
             sum(h.runs)::int as runs, sum(h.failures)::int as failures,
             sum(h.tokens_in)::float8 as tokens_in, sum(h.tokens_out)::float8 as tokens_out,
             sum(h.cost_usd)::text as cost_usd, sum(h.unknown_cost_calls)::int as unknown_cost_calls,
             sum(h.decisions)::int as decisions, sum(h.correct)::int as correct, sum(h.incorrect)::int as incorrect,
             sum(h.partial)::int as partial
        from (${nodeRows(workspaceId, runs, flowId)}) h
       group by h.flow_id, h.node_id, 3
      having sum(h.runs) <> 0 or sum(h.decisions) <> 0`),
  );
  const percentiles = rowsOf<PercentileRow>(
    await tx.execute(sql`
      select flow_id, node_id, b, metric,
             min(value) filter (where cum >= 0.5 * total) as p50,
             min(value) filter (where cum >= 0.95 * total) as p95
        from (select *, sum(n) over (partition by flow_id, node_id, b, metric order by value rows unbounded preceding) as cum,
                        sum(n) over (partition by flow_id, node_id, b, metric) as total
                from (select h.flow_id, h.node_id, ${label} as b, h.metric, h.value, sum(h.n) as n
                        from (${latencyRows(workspaceId, runs, flowId)}) h
                       group by 1, 2, 3, 4, 5
                      having sum(h.n) > 0) grouped) cumulative
       group by 1, 2, 3, 4`),
  );
  const key = (flow: string, node: string, bucket: Date | string | null) => `${flow}|${node}|${bucket === null ? "" : new Date(bucket).toISOString()}`;
  const latency = new Map<string, { duration?: PercentileRow; ttft?: PercentileRow }>();
  for (const p of percentiles) {
    const k = key(p.flow_id, p.node_id, p.b);
    const entry = latency.get(k) ?? {};
    if (Number(p.metric) === 0) entry.duration = p;
    else entry.ttft = p;
    latency.set(k, entry);
  }
  return sums.map((s) => {
    const l = latency.get(key(s.flow_id, s.node_id, s.b));
    return { ...s, duration_p50: l?.duration?.p50 ?? null, duration_p95: l?.duration?.p95 ?? null, ttft_p50: l?.ttft?.p50 ?? null };
  });
}

function toFigures(r: Row, names: Map<string, string>): BlockFigures {
  const judged = r.correct + r.incorrect;
  return {
    flowId: r.flow_id,
    flowName: names.get(r.flow_id) ?? null,
    nodeId: r.node_id,
    blockType: r.block_type,
    runs: r.runs,
    failures: r.failures,
    successRate: r.runs > 0 ? (r.runs - r.failures) / r.runs : null,
    p50DurationMs: numberOrNull(r.duration_p50),
    p95DurationMs: numberOrNull(r.duration_p95),
    p50TtftMs: numberOrNull(r.ttft_p50),
    tokensIn: Number(r.tokens_in),
    tokensOut: Number(r.tokens_out),
    costUsd: costOrNull(r.cost_usd, r.unknown_cost_calls),
    knownCostUsd: Number(r.cost_usd),
    unknownCostCalls: r.unknown_cost_calls,
    decisions: r.decisions,
    accuracy: judged > 0 ? r.correct / judged : null,
    feedbackCount: r.correct + r.incorrect + r.partial,
    correct: r.correct,
    incorrect: r.incorrect,
    partial: r.partial,
  };
}

/**
 * Where the figures of a request come from: whole buckets as kept (`kept`: span 1 for hours, 24 for
 * days); the rest (`merged`: the totals' spans, partial days at the edges) summed per `label` (the
 * bucket a span falls in, or null for totals).
 */
function plan(from: Date, to: Date, unit: "hour" | "day" | null): { label: SQL; kept: Run | null; merged: Run[] } {
  const { fromHour, toHour } = hourRange(from, to);
  if (unit === "hour") return { label: sql`h.bucket`, kept: decompose(fromHour, toHour, 1)[0] ?? null, merged: [] };
  if (unit === "day") {
    const { edges, days } = splitDays(fromHour, toHour);
    return { label: sql`date_trunc('day', h.bucket, 'UTC')`, kept: days, merged: edges };
  }
  return { label: sql`null::timestamptz`, kept: null, merged: decompose(fromHour, toHour) };
}

const numberOrNull = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Number(v));
