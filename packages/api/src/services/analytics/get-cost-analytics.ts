import { sql } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { rowsOf } from "../../lib/rows";
import { costOrNull, resolveRange } from "./range";
import { CostAnalyticsInput } from "./schemas";
import { decompose, hourRange, nodeRows } from "./spans";

export type CostFigures = {
  tokensIn: number;
  tokensOut: number;
  /** USD; null when any call in the group had no known price (`unknownCostCalls` of them). */
  costUsd: number | null;
  knownCostUsd: number;
  unknownCostCalls: number;
  /** Model calls (priced and unpriced). */
  calls: number;
};

export type CostRow = CostFigures & {
  /** The model (groupBy=model), the flow id (flow) or `flowId:nodeId` (node). */
  key: string;
  model: string | null;
  flowId: string | null;
  flowName: string | null;
  nodeId: string | null;
  /** groupBy=node: the node's cost split by model (for stacked charts). */
  models?: Array<CostFigures & { model: string }>;
};

type Row = {
  model: string | null;
  flow_id: string | null;
  flow_name: string | null;
  node_id: string | null;
  tokens_in: number;
  tokens_out: number;
  cost_usd: string;
  unknown_cost_calls: number;
  calls: number;
};

/** Cost and tokens by model, flow or node over a range, from the exact rollups (edge hours and the coarser spans between). */
export async function getCostAnalytics(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ from: Date; to: Date; groupBy: string; rows: CostRow[] }> {
  const parsed = parseInput(CostAnalyticsInput, input ?? {});
  const { from, to } = resolveRange(parsed, deps.now());
  const { fromHour, toHour } = hourRange(from, to);
  const groupBy = parsed.groupBy;
  const dims =
    groupBy === "model"
      ? sql`h.model as model, null::uuid as flow_id, null::text as flow_name, null::text as node_id`
      : groupBy === "flow"
        ? sql`null::text as model, h.flow_id as flow_id, f.name as flow_name, null::text as node_id`
        : sql`h.model as model, h.flow_id as flow_id, f.name as flow_name, h.node_id as node_id`;
  const rows = rowsOf<Row>(
    await deps.db.execute(sql`
      select ${dims}, sum(h.tokens_in)::float8 as tokens_in, sum(h.tokens_out)::float8 as tokens_out,
             sum(h.cost_usd)::text as cost_usd, sum(h.unknown_cost_calls)::int as unknown_cost_calls,
             (sum(h.priced_calls) + sum(h.unknown_cost_calls))::int as calls
        from (${nodeRows(actor.workspaceId, decompose(fromHour, toHour), parsed.flowId)}) h
        left join flows f on f.id = h.flow_id and f.workspace_id = ${actor.workspaceId}::uuid
       group by 1, 2, 3, 4
      having sum(h.priced_calls) + sum(h.unknown_cost_calls) <> 0 or sum(h.tokens_in) + sum(h.tokens_out) <> 0`),
  );
  const figures = (r: Row): CostFigures => ({
    tokensIn: Number(r.tokens_in),
    tokensOut: Number(r.tokens_out),
    costUsd: costOrNull(r.cost_usd, r.unknown_cost_calls),
    knownCostUsd: Number(r.cost_usd),
    unknownCostCalls: r.unknown_cost_calls,
    calls: r.calls,
  });
  if (groupBy !== "node") {
    const out = rows.map((r) => ({
      key: groupBy === "model" ? (r.model ?? "") : (r.flow_id ?? ""),
      model: groupBy === "model" ? r.model : null,
      flowId: r.flow_id,
      flowName: r.flow_name,
      nodeId: null,
      ...figures(r),
    }));
    return { from, to, groupBy, rows: out.sort(byCost) };
  }
  const nodes = new Map<string, CostRow>();
  for (const r of rows) {
    const key = `${r.flow_id}:${r.node_id}`;
    const f = figures(r);
    const current = nodes.get(key);
    const models = [...(current?.models ?? []), { model: r.model ?? "", ...f }];
    const unknown = models.reduce((n, m) => n + m.unknownCostCalls, 0);
    const known = models.reduce((n, m) => n + m.knownCostUsd, 0);
    nodes.set(key, {
      key,
      model: null,
      flowId: r.flow_id,
      flowName: r.flow_name,
      nodeId: r.node_id,
      tokensIn: models.reduce((n, m) => n + m.tokensIn, 0),
      tokensOut: models.reduce((n, m) => n + m.tokensOut, 0),
      costUsd: costOrNull(known, unknown),
      knownCostUsd: known,
      unknownCostCalls: unknown,
      calls: models.reduce((n, m) => n + m.calls, 0),
      models,
    });
  }
  return { from, to, groupBy, rows: [...nodes.values()].sort(byCost) };
}

const byCost = (a: CostFigures & { key: string }, b: CostFigures & { key: string }) => b.knownCostUsd - a.knownCostUsd || a.key.localeCompare(b.key);
