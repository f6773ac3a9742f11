import { sql } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { rowsOf } from "../../lib/rows";
import { parseInput } from "../../lib/validation";
import { costOrNull, resolveRange } from "./range";
import { BlockAnalyticsInput } from "./schemas";

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

type SumRow = {
  flow_id: string;
  flow_name: string | null;
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
};
type PercentileRow = { flow_id: string; node_id: string; b: Date | string | null; metric: number; p50: number | null; p95: number | null };

/**
 * Per node (and per hour or day): runs, failures, success rate, p50/p95 duration, p50 TTFT, tokens,
 * cost and feedback accuracy, read from the rollups (analytics_node_hours, analytics_latency) that the
 * database keeps exact at commit time — never from the raw block rows.
 */
export async function getBlockAnalytics(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<BlockAnalytics> {
  const parsed = parseInput(BlockAnalyticsInput, input ?? {});
  const { from, to } = resolveRange(parsed, deps.now());
  const unit = parsed.bucket;
  const [bucketed, overall] = await Promise.all([
    figures(deps, actor.workspaceId, from, to, parsed.flowId, unit),
    figures(deps, actor.workspaceId, from, to, parsed.flowId, null),
  ]);
  return {
    from,
    to,
    bucket: unit,
    series: bucketed.map((f) => ({ ...f, bucket: new Date(f.bucket as Date) })),
    totals: overall.map(({ bucket: _b, ...f }) => f),
  };
}

async function figures(deps: Deps, workspaceId: string, from: Date, to: Date, flowId: string | undefined, unit: "hour" | "day" | null) {
  // `unit` is one of two literals (checked by the schema); inlined so the grouping expression is one.
  const b = unit ? sql.raw(`date_trunc('${unit}', h.bucket, 'UTC')`) : sql`null::timestamptz`;
  const flowFilter = flowId ? sql`and h.flow_id = ${flowId}::uuid` : sql``;
  const range = sql`h.workspace_id = ${workspaceId}::uuid and h.bucket >= ${from.toISOString()}::timestamptz and h.bucket < ${to.toISOString()}::timestamptz ${flowFilter}`;
  const sums = rowsOf<SumRow>(
    await deps.db.execute(sql`
      select h.flow_id, f.name as flow_name, h.node_id, max(h.block_type) as block_type, ${b} as b,
             sum(h.runs)::int as runs, sum(h.failures)::int as failures,
             sum(h.tokens_in)::float8 as tokens_in, sum(h.tokens_out)::float8 as tokens_out,
             sum(h.cost_usd)::text as cost_usd, sum(h.unknown_cost_calls)::int as unknown_cost_calls,
             sum(h.decisions)::int as decisions, sum(h.correct)::int as correct, sum(h.incorrect)::int as incorrect,
             sum(h.partial)::int as partial
        from analytics_node_hours h
        left join flows f on f.id = h.flow_id and f.workspace_id = h.workspace_id
       where ${range}
       group by h.flow_id, f.name, h.node_id, 5
      having sum(h.runs) <> 0 or sum(h.decisions) <> 0
       order by 5 nulls first, 1, 3`),
  );
  const percentiles = rowsOf<PercentileRow>(
    await deps.db.execute(sql`
      with grouped as (
        select h.flow_id, h.node_id, ${b} as b, h.metric, h.value, sum(h.n) as n
          from analytics_latency h
         where ${range}
         group by 1, 2, 3, 4, 5
        having sum(h.n) > 0
      ), cumulative as (
        select *, sum(n) over (partition by flow_id, node_id, b, metric order by value rows unbounded preceding) as cum,
                  sum(n) over (partition by flow_id, node_id, b, metric) as total
          from grouped
      )
      select flow_id, node_id, b, metric,
             min(value) filter (where cum >= 0.5 * total) as p50,
             min(value) filter (where cum >= 0.95 * total) as p95
        from cumulative
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
    const judged = s.correct + s.incorrect;
    return {
      flowId: s.flow_id,
      flowName: s.flow_name,
      nodeId: s.node_id,
      blockType: s.block_type,
      bucket: s.b,
      runs: s.runs,
      failures: s.failures,
      successRate: s.runs > 0 ? (s.runs - s.failures) / s.runs : null,
      p50DurationMs: numberOrNull(l?.duration?.p50),
      p95DurationMs: numberOrNull(l?.duration?.p95),
      p50TtftMs: numberOrNull(l?.ttft?.p50),
      tokensIn: Number(s.tokens_in),
      tokensOut: Number(s.tokens_out),
      costUsd: costOrNull(s.cost_usd, s.unknown_cost_calls),
      knownCostUsd: Number(s.cost_usd),
      unknownCostCalls: s.unknown_cost_calls,
      decisions: s.decisions,
      accuracy: judged > 0 ? s.correct / judged : null,
      feedbackCount: s.correct + s.incorrect + s.partial,
      correct: s.correct,
      incorrect: s.incorrect,
      partial: s.partial,
    };
  });
}

const numberOrNull = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Number(v));
