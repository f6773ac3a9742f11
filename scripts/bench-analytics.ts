/**
 * Analytics figures for `npm run bench` (scripts/bench.ts calls it on a migrated database): with
 * 1,000,000 block executions and 200,000 decisions in one workspace (seeded in bulk through the same
 * statement triggers that keep the rollups at commit time), the p95 of each analytics endpoint over
 * 20 calls, and beside it the time the same block figures take computed from the raw rows.
 * `tsx scripts/bench-analytics.ts` runs it alone on DATABASE_URL (a scratch database).
 */
import { performance } from "node:perf_hooks";
import postgres from "postgres";
import { createDatabase, migrate, sql, type DatabaseHandle } from "@weft/db";
import type { Actor, Deps } from "../packages/api/src/lib/context";
import { getBlockAnalytics } from "../packages/api/src/services/analytics/get-block-analytics";
import { getCostAnalytics } from "../packages/api/src/services/analytics/get-cost-analytics";
import { getFailureAnalytics } from "../packages/api/src/services/analytics/get-failure-analytics";
import { seedFlow } from "../packages/engine/test/support";

type Print = (name: string, value: number, unit: string) => void;

const EXECUTIONS = Number(process.env.WEFT_BENCH_ANALYTICS_EXECUTIONS ?? 100_000);
/** Nodes per execution: source, 6 functions, an AI block, a router, a sink (2 decisions per run). */
const NODES = 10;
const FLOWS = 20;
const DAYS = 30;
const BATCH = 5_000;
const CALLS = 20;

const p95 = (times: number[]) => [...times].sort((a, b) => a - b)[Math.ceil(0.95 * times.length) - 1]!;

async function seed(handle: DatabaseHandle, workspaceId: string, flowIds: string[]) {
  const { db } = handle;
  const flowArray = `{${flowIds.join(",")}}`;
  // A plain (unlogged) table, not a temp one: the pool runs the next statements on other connections.
  await db.execute(sql`drop table if exists bench_flows`);
  await db.execute(sql`create unlogged table bench_flows (n int primary key, id uuid not null)`);
  await db.execute(sql`insert into bench_flows select i - 1, (${flowArray}::uuid[])[i] from generate_series(1, ${flowIds.length}::int) i`);
  for (let start = 0; start < EXECUTIONS; start += BATCH) {
    const end = Math.min(EXECUTIONS, start + BATCH);
    // Executions spread over DAYS, then their block rows in ONE statement per batch, completed or
    // failed, so the statement triggers roll them up (and write the decisions) as commits would.
    await db.execute(sql`
      insert into flow_executions (id, workspace_id, flow_id, status, graph, created_at, started_at, finished_at)
      select md5('bench' || i)::uuid, ${workspaceId}::uuid, f.id, 'completed', '{"nodes":[],"edges":[]}'::jsonb,
             now() - ((i * 7919) % (${DAYS}::int * 86400)) * interval '1 second',
             now() - ((i * 7919) % (${DAYS}::int * 86400)) * interval '1 second', now()
        from generate_series(${start}::int, ${end - 1}::int) i join bench_flows f on f.n = i % ${FLOWS}::int`);
    await db.execute(sql`
      insert into block_executions (workspace_id, execution_id, node_id, block_type, status, attempt, input, output, error,
                                    started_at, finished_at, duration_ms, tokens_in, tokens_out, cost_usd, ttft_ms)
      select ${workspaceId}::uuid, md5('bench' || i)::uuid, 'n' || k, t.type,
             (case when t.type = 'function' and (i * 31 + k) % 37 = 0 then 'failed' else 'completed' end)::block_execution_status, 1,
             case when t.type in ('ai', 'router') then jsonb_build_object('country', (array['FR','US','DE','CH'])[1 + (i % 4)], 'vip', i % 3 = 0) end,
             case when t.type = 'ai' then jsonb_build_object('text', 'ok', 'model', case when i % 5 = 0 then 'house-model-7b' else 'gpt-4o-mini' end)
                  when t.type = 'router' then jsonb_build_object('handle', case when i % 2 = 0 then 'eu' else 'us' end) end,
             case when t.type = 'function' and (i * 31 + k) % 37 = 0 then jsonb_build_object('code', 'SANDBOX_USER_ERROR', 'message', 'Cannot read "f' || (i % 7) || '" of undefined (line ' || (i % 90) || ')') end,
             e.started_at, e.started_at + make_interval(secs => t.ms / 1000.0), t.ms,
             case when t.type = 'ai' then 100 + i % 900 end, case when t.type = 'ai' then 5 + i % 200 end,
             case when t.type = 'ai' and i % 5 <> 0 then round((100 + i % 900) * 0.00000015 + (5 + i % 200) * 0.0000006, 8) end,
             case when t.type = 'ai' then 80 + (i * 13) % 700 end
        from generate_series(${start}::int, ${end - 1}::int) i
        join flow_executions e on e.id = md5('bench' || i)::uuid
        cross join lateral (select k, case when k = 0 then 'source' when k = ${NODES - 1}::int then 'sink' when k = 7 then 'ai' when k = 8 then 'router' else 'function' end as type,
                                   case when k = 7 then 300 + (i * 17) % 3700 when k = 8 then i % 4 else (i * k) % 25 end as ms
                              from generate_series(0, ${NODES - 1}::int) k) t`);
  }
  // Feedback on a fifth of the decisions, in bulk (the decision triggers roll it up).
  await db.execute(sql`
    update decisions set feedback = (array['correct','incorrect','partial'])[1 + (abs(hashtext(id::text)) % 3)],
                         feedback_categories = array['bench'], feedback_at = now()
     where workspace_id = ${workspaceId}::uuid and abs(hashtext(id::text)) % 5 = 0`);
  await db.execute(sql`analyze`);
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export async function benchAnalytics(label: string, handle: DatabaseHandle, print: Print) {
  const { workspaceId, flowId } = await seedFlow(handle.db);
  const flowIds = [flowId];
  for (let i = 1; i < FLOWS; i++) flowIds.push((await seedFlow(handle.db)).flowId);
  // seedFlow makes a workspace per flow: move the flows into the first one.
  await handle.db.execute(sql`update flows set workspace_id = ${workspaceId}::uuid where id = any(${`{${flowIds.join(",")}}`}::uuid[])`);
  const seedStart = performance.now();
  await seed(handle, workspaceId, flowIds);
  const seedMs = performance.now() - seedStart;
  const [counts] = await handle.sql<{ blocks: number; decisions: number }[]>`
    select (select count(*)::int from block_executions where workspace_id = ${workspaceId}::uuid) as blocks,
           (select count(*)::int from decisions where workspace_id = ${workspaceId}::uuid) as decisions`;
  print(`${label}.analytics.seeded_block_executions`, counts!.blocks, "rows");
  print(`${label}.analytics.seeded_decisions`, counts!.decisions, "rows");
  print(`${label}.analytics.seed_through_triggers`, seedMs / 1000, "s");
  // After a bulk load autovacuum marks the rollup pages all-visible within a minute or so; done here
  // (untimed) so the index-only scans of the rollups are measured as in a settled database.
  await handle.db.execute(sql`vacuum analyze analytics_node_hours, analytics_latency, analytics_node_spans, analytics_latency_spans, analytics_node_stats`);

  const deps = { db: handle.db, now: () => new Date() } as unknown as Deps;
  const actor: Actor = { workspaceId, role: "viewer", userId: null };
  const to = new Date();
  const from30 = new Date(to.getTime() - DAYS * 86400_000);
  const from7 = new Date(to.getTime() - 7 * 86400_000);
  const cases: Array<[string, () => Promise<unknown>]> = [
    ["blocks_30d_by_day", () => getBlockAnalytics(deps, { actor, input: { from: from30, to, bucket: "day" } })],
    ["blocks_7d_by_hour", () => getBlockAnalytics(deps, { actor, input: { from: from7, to, bucket: "hour" } })],
    ["blocks_30d_one_flow_by_hour", () => getBlockAnalytics(deps, { actor, input: { from: from30, to, bucket: "hour", flowId } })],
    ["costs_30d_by_model", () => getCostAnalytics(deps, { actor, input: { from: from30, to, groupBy: "model" } })],
    ["costs_30d_by_node", () => getCostAnalytics(deps, { actor, input: { from: from30, to, groupBy: "node" } })],
    ["failures_30d", () => getFailureAnalytics(deps, { actor, input: { from: from30, to } })],
  ];
  for (const [name, call] of cases) {
    await call(); // warm
    const times: number[] = [];
    for (let i = 0; i < CALLS; i++) times.push(await time(call));
    print(`${label}.analytics.${name}.p95`, p95(times), "ms");
  }
  // The same 30-day per-node figures computed from the raw rows, for comparison.
  const rawScan = await time(() =>
    handle.db.execute(sql`
      select e.flow_id, b.node_id, date_trunc('day', coalesce(b.finished_at, b.started_at, b.created_at), 'UTC') as d, count(*),
             count(*) filter (where b.status = 'failed'), sum(b.tokens_in), sum(b.tokens_out), sum(b.cost_usd),
             percentile_disc(0.5) within group (order by b.duration_ms), percentile_disc(0.95) within group (order by b.duration_ms)
        from block_executions b join flow_executions e on e.id = b.execution_id
       where e.workspace_id = ${workspaceId}::uuid and e.kind = 'flow' and b.status in ('completed', 'failed')
         and coalesce(b.finished_at, b.started_at, b.created_at) >= ${from30.toISOString()}::timestamptz
       group by 1, 2, 3`),
  );
  print(`${label}.analytics.blocks_30d_by_day.raw_scan`, rawScan, "ms");
  print(`${label}.analytics.trigger_per_block_row`, await triggerCostPerRow(handle, workspaceId), "ms");
}

/**
 * What the rollup triggers add to writing one block row (the engine writes a node's row in its own
 * statement): 200 single-row inserts of completed rows (the seed's node mix) with the triggers, less
 * the same without them, per row. Rolled back.
 */
async function triggerCostPerRow(handle: DatabaseHandle, workspaceId: string): Promise<number> {
  const ROWS = 200;
  const run = (withTriggers: boolean) =>
    handle.sql
      .begin(async (tx) => {
        const [execution] = await tx<{ id: string }[]>`
          insert into flow_executions (workspace_id, flow_id, status, graph)
          select ${workspaceId}::uuid, id, 'running', '{"nodes":[],"edges":[]}'::jsonb from flows where workspace_id = ${workspaceId}::uuid limit 1
          returning id`;
        if (!withTriggers) await tx`alter table block_executions disable trigger user`;
        const start = performance.now();
        await tx.unsafe(`
          do $$ begin for i in 1..${ROWS} loop
            insert into block_executions (workspace_id, execution_id, node_id, block_type, status, attempt, started_at, finished_at,
                                          duration_ms, tokens_in, tokens_out, cost_usd, ttft_ms, output)
            select '${workspaceId}'::uuid, '${execution!.id}'::uuid, 'hot' || i, t.type, 'completed', 1, now() - interval '1 second', now(),
                   1000 + i, case when t.type = 'ai' then 100 end, case when t.type = 'ai' then 10 end,
                   case when t.type = 'ai' then 0.0001 end, case when t.type = 'ai' then 200 + i end,
                   case when t.type = 'ai' then '{"model":"gpt-4o-mini","text":"x"}'::jsonb when t.type = 'router' then '{"handle":"eu"}'::jsonb end
              from (select case i % 10 when 7 then 'ai' when 8 then 'router' else 'function' end as type) t;
          end loop; end $$`);
        const elapsed = performance.now() - start;
        throw new Rollback(elapsed);
      })
      .catch((e: unknown) => {
        if (e instanceof Rollback) return e.elapsed;
        throw e;
      });
  const off = await run(false);
  const on = await run(true);
  return (on - off) / ROWS;
}

class Rollback extends Error {
  constructor(readonly elapsed: number) {
    super("rollback");
  }
}

// Alone: `DATABASE_URL=... tsx scripts/bench-analytics.ts`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("DATABASE_URL is required to run the analytics bench alone");
  const name = `weft_bench_analytics_${process.pid}`;
  const adminUrl = new URL(base);
  adminUrl.pathname = "/postgres";
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  try {
    const url = new URL(base);
    url.pathname = `/${name}`;
    const handle = await createDatabase({ url: url.toString() });
    try {
      await migrate(handle);
      await benchAnalytics("postgres", handle, (n, v, u) => console.log(`${n}: ${Number(v.toFixed(3))} ${u}`));
    } finally {
      await handle.close();
    }
  } finally {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}
