import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decisions, eq, flowExecutions, flows, sql } from "@weft/db";
import type { BlockUpsert } from "@weft/engine";
import { rowsOf } from "../src/lib/rows";
import { callerFor, createTestApi, type TestApi } from "../src/testing";
import { signUpUser, type SignedUpUser } from "./support";

/**
 * The rollups stay exact: after a randomized workload written through the engine store (the only
 * writer) — completions, failures, retries, unknown prices, test runs, crash recovery that re-runs a
 * node under a new lease owner, a completion committed twice, fix-and-continue turning a failure into
 * a success, and feedback edited again and again — every analytics figure equals the same figure
 * computed from the raw block and decision rows.
 */

let api: TestApi;
let owner: SignedUpUser;
let workspaceId: string;
const flowIds: string[] = [];
const HOUR_MS = 3600 * 1000;
/**
 * The workload's range: 80 days, so the totals read every rollup level (hours, 6 hours, days and the
 * 4-, 16- and 64-day spans). It starts on an hour: analytics apply `from` at hour granularity.
 */
const FROM = new Date(Math.floor((Date.now() - 80 * 24 * HOUR_MS) / HOUR_MS) * HOUR_MS);
const TO = new Date(Date.now() + 3600 * 1000);
/** Most runs fall in the last two days, so hours and days hold several samples; the rest anywhere. */
const RECENT = new Date(Math.floor((Date.now() - 2 * 24 * HOUR_MS) / HOUR_MS) * HOUR_MS);
type Range = { from: Date; to: Date };

/** mulberry32: a small seeded PRNG, so a failure can be replayed. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const SEED = Number(process.env.WEFT_EXACTNESS_SEED ?? 20261203);
const random = prng(SEED);
const int = (max: number) => Math.floor(random() * max);
const pick = <T,>(items: readonly T[]): T => items[int(items.length)]!;

const NODES = [
  { id: "classify", type: "ai" },
  { id: "route", type: "router" },
  { id: "enrich", type: "function" },
  { id: "call", type: "http" },
] as const;
const ERRORS = [
  { code: "HTTP_500", message: (n: number) => `Upstream answered 500 for order ${n}` },
  { code: "SANDBOX_USER_ERROR", message: (n: number) => `Cannot read "field${n}" of undefined` },
  { code: "TIMEOUT", message: () => "The node timed out" },
];

beforeAll(async () => {
  api = await createTestApi();
  owner = await signUpUser(api, "ExactOwner");
  workspaceId = (await callerFor(api.deps, owner.user).workspaces.create({ name: "Exactness" })).id;
  for (const name of ["one", "two", "three"]) {
    const [row] = await api.deps.db.insert(flows).values({ workspaceId, name, nodes: [], edges: [] }).returning({ id: flows.id });
    flowIds.push(row!.id);
  }
});
afterAll(async () => {
  await api?.close();
});

function completion(node: (typeof NODES)[number], at: Date, attempt: number): BlockUpsert {
  const durationMs = pick([0, 3, 42, 99, 100, 999, 1234, 5678, 23456]) + int(5);
  const base = { nodeId: node.id, iteration: "", blockType: node.type, status: "completed" as const, attempt, startedAt: new Date(at.getTime() - durationMs), finishedAt: at, durationMs };
  if (node.type === "ai") {
    const model = pick(["gpt-4o-mini", "house-model-7b"]);
    const tokensIn = 10 + int(500);
    const tokensOut = 1 + int(80);
    return {
      ...base,
      input: { country: pick(["FR", "US"]) },
      output: { text: pick(["spam", "ham"]), model, usage: { inputTokens: tokensIn, outputTokens: tokensOut } },
      tokensIn,
      tokensOut,
      costUsd: model === "gpt-4o-mini" ? Number((tokensIn * 0.00000015 + tokensOut * 0.0000006).toFixed(8)) : null,
      ttftMs: 50 + int(900),
    };
  }
  if (node.type === "router") {
    const handle = pick(["eu", "us"]);
    return { ...base, input: { country: "FR" }, output: { handle, input: { country: "FR" } } };
  }
  return { ...base, input: { n: 1 }, output: { ok: true } };
}

function failure(node: (typeof NODES)[number], at: Date, attempt: number): BlockUpsert {
  const error = pick(ERRORS);
  return { nodeId: node.id, iteration: "", blockType: node.type, status: "failed", attempt, startedAt: at, finishedAt: at, durationMs: int(3000), error: { code: error.code, message: error.message(int(10_000)) } };
}

/** One execution written through the store the way the runner writes it, with the twists above. */
async function workload(index: number) {
  const store = api.deps.executions;
  const flowId = pick(flowIds);
  const test = random() < 0.15;
  const execution = await api.deps.db.transaction(async (tx) => {
    const created = await store.create({ workspaceId, flowId, graph: { nodes: [], edges: [] }, input: {} }, tx);
    if (test) await tx.update(flowExecutions).set({ kind: "test" }).where(eq(flowExecutions.id, created.id));
    return created;
  });
  let owner = `w${index}`;
  await store.claim({ owner, leaseMs: 60_000, onlyId: execution.id });
  await store.commit({ executionId: execution.id, owner, from: ["pending"], to: "running", events: [{ type: "execution_start" }] });
  const commit = (blocks: BlockUpsert[]) => store.commit({ executionId: execution.id, owner, events: blocks.map((b) => ({ type: "node_start" as const, nodeId: b.nodeId, blockType: b.blockType, attempt: b.attempt ?? 1 })), blocks });
  for (const node of NODES) {
    if (random() < 0.15) continue; // never reached
    const start = random() < 0.6 ? RECENT : FROM;
    const at = new Date(start.getTime() + int(TO.getTime() - start.getTime() - 2 * 3600 * 1000));
    await commit([{ nodeId: node.id, iteration: "", blockType: node.type, status: "running", attempt: 1, startedAt: at }]);
    const twist = random();
    if (twist < 0.15) {
      // Retries: attempts 2 and 3 before the outcome.
      await commit([{ nodeId: node.id, iteration: "", blockType: node.type, status: "running", attempt: 2 }]);
      await commit([{ nodeId: node.id, iteration: "", blockType: node.type, status: "running", attempt: 3 }]);
      await commit([random() < 0.5 ? completion(node, at, 3) : failure(node, at, 3)]);
    } else if (twist < 0.3) {
      // Crash mid-node: the lease expires, another worker claims the run and runs the node again.
      await api.deps.db.update(flowExecutions).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(flowExecutions.id, execution.id));
      owner = `${owner}-recovered`;
      const [claimed] = await store.claim({ owner, leaseMs: 60_000, onlyId: execution.id });
      expect(claimed?.id).toBe(execution.id);
      await commit([{ nodeId: node.id, iteration: "", blockType: node.type, status: "running", attempt: 1, startedAt: at }]);
      await commit([completion(node, at, 1)]);
    } else if (twist < 0.4) {
      // A completion written twice (a pipelined commit retried): still one run, one decision.
      const done = completion(node, at, 1);
      await commit([done]);
      await commit([done]);
    } else if (twist < 0.5) {
      // Fix-and-continue: the failed node is decided again and completes.
      await commit([failure(node, at, 1)]);
      const later = new Date(at.getTime() + int(3 * 3600 * 1000));
      await commit([{ nodeId: node.id, iteration: "", blockType: node.type, status: "running", attempt: 2, startedAt: later }]);
      await commit([completion(node, later, 2)]);
    } else if (twist < 0.7) {
      await commit([failure(node, at, 1)]);
    } else {
      await commit([completion(node, at, 1)]);
    }
  }
}

/** Many runs of two nodes (loop iterations) in one hour: buckets where p50 and p95 are far apart. */
async function burst() {
  const store = api.deps.executions;
  const execution = await store.create({ workspaceId, flowId: flowIds[0]!, graph: { nodes: [], edges: [] }, input: {} });
  const owner = "burst";
  await store.claim({ owner, leaseMs: 60_000, onlyId: execution.id });
  await store.commit({ executionId: execution.id, owner, from: ["pending"], to: "running", events: [{ type: "execution_start" }] });
  const hour = RECENT.getTime() + 5 * HOUR_MS;
  const blocks: BlockUpsert[] = [];
  for (let i = 0; i < 60; i++) {
    const node = NODES[i % 2 === 0 ? 0 : 2];
    const at = new Date(hour + int(HOUR_MS));
    blocks.push({ ...(random() < 0.15 ? failure(node, at, 1) : completion(node, at, 1)), iteration: String(i) });
  }
  await store.commit({ executionId: execution.id, owner, events: blocks.map((b) => ({ type: "node_start" as const, nodeId: b.nodeId, blockType: b.blockType, attempt: 1 })), blocks });
}

async function raw<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return rowsOf<T>(await api.deps.db.execute(query));
}

describe("analytics exactness", () => {
  it(`every figure equals the raw rows after a randomized workload (seed ${SEED})`, async () => {
    for (let i = 0; i < 70; i++) await workload(i);
    await burst();

    // Feedback, edited: every decision gets up to three verdicts in a row; the last one counts.
    const caller = callerFor(api.deps, owner.user);
    const all = await api.deps.db.select({ id: decisions.id }).from(decisions).where(eq(decisions.workspaceId, workspaceId));
    expect(all.length).toBeGreaterThan(20);
    for (const d of all) {
      for (let k = int(4); k > 0; k--) {
        await caller.decisions.feedback({ workspaceId, decisionId: d.id, verdict: pick(["correct", "incorrect", "partial"] as const), categories: [pick(["a", "b"])] });
      }
    }

    // One decision per completed AI/router block row, and none for anything else.
    const [counts] = await raw<{ blocks: number; decisions: number }>(sql`
      select (select count(*)::int from block_executions where workspace_id = ${workspaceId}::uuid and status = 'completed' and block_type in ('ai', 'router')) as blocks,
             (select count(*)::int from decisions where workspace_id = ${workspaceId}::uuid) as decisions`);
    expect(counts!.decisions).toBe(counts!.blocks);

    // The whole range, then ranges that start and end anywhere (mid-hour, mid-day, mid-span).
    const ranges: Range[] = [{ from: FROM, to: TO }];
    for (let k = 0; k < 6; k++) {
      const a = FROM.getTime() + int(TO.getTime() - FROM.getTime());
      const b = FROM.getTime() + int(TO.getTime() - FROM.getTime());
      if (Math.abs(a - b) > HOUR_MS) ranges.push({ from: new Date(Math.min(a, b)), to: new Date(Math.max(a, b)) });
    }
    ranges.push({ from: new Date(RECENT.getTime() + 7 * HOUR_MS + 123_456), to: new Date(TO.getTime() - 5 * HOUR_MS - 654_321) });
    for (const range of ranges) await expectExactFigures(caller, range);

    const failures = await caller.analytics.failures({ workspaceId, from: FROM, to: TO });
    const expectedFailures = await raw<{ fingerprint: string; count: number; first_seen: Date; last_seen: Date; flows: string[]; executions: string[] }>(sql`
      with m as (${rawBlocks()})
      select weft_failure_fingerprint(err_code, err_message, block_type) as fingerprint, count(*)::int as count, min(at) as first_seen, max(at) as last_seen,
             array_agg(distinct flow_id::text) as flows, array_agg(distinct execution_id::text) as executions
        from m where status = 'failed' group by 1`);
    expect(failures.groups.length).toBe(expectedFailures.length);
    for (const e of expectedFailures) {
      const group = failures.groups.find((g) => g.fingerprint === e.fingerprint)!;
      expect(group, e.fingerprint).toBeDefined();
      expect({ count: group.count, first: group.firstSeen.getTime(), last: group.lastSeen.getTime(), flows: group.flows.map((f) => f.id).sort() }).toEqual({
        count: e.count,
        first: new Date(e.first_seen).getTime(),
        last: new Date(e.last_seen).getTime(),
        flows: [...e.flows].sort(),
      });
      expect(group.sampleExecutionIds.length).toBe(Math.min(5, e.executions.length));
      for (const id of group.sampleExecutionIds) expect(e.executions).toContain(id);
    }
  }, 300_000);
});


/** Every block and cost figure of `range` equals the same figure from the raw rows. */
async function expectExactFigures(caller: ReturnType<typeof callerFor>, range: Range) {
  const label = `${range.from.toISOString()}..${range.to.toISOString()}`;
  for (const bucket of ["hour", "day"] as const) {
    const service = await caller.analytics.blocks({ workspaceId, from: range.from, to: range.to, bucket });
    const expected = await rawBlockFigures(range, bucket);
    const actual = service.series.map((s) => ({ ...pickFigures(s), key: `${s.flowId}|${s.nodeId}|${s.bucket.toISOString()}` }));
    const expectedByKey = new Map(expected.map((e) => [e.key, e]));
    for (const row of sortByKey(actual)) expect(row, `${label} ${row.key}`).toEqual(expectedByKey.get(row.key));
    expect(actual.length, label).toBe(expected.length);
  }
  const totals = await caller.analytics.blocks({ workspaceId, from: range.from, to: range.to });
  expect(sortByKey(totals.totals.map((s) => ({ ...pickFigures(s), key: `${s.flowId}|${s.nodeId}|` })))).toEqual(sortByKey(await rawBlockFigures(range, null)));

  for (const groupBy of ["model", "flow", "node"] as const) {
    const service = await caller.analytics.costs({ workspaceId, from: range.from, to: range.to, groupBy });
    const dims = groupBy === "model" ? sql`m.model` : groupBy === "flow" ? sql`m.flow_id::text` : sql`m.flow_id::text || ':' || m.node_id`;
    const expected = await raw<{ key: string; tokens_in: number; tokens_out: number; known: string; unknown: number; calls: number }>(sql`
      with m as (${rawBlocks(range)})
      select ${dims} as key, sum(tokens_in)::float8 as tokens_in, sum(tokens_out)::float8 as tokens_out, coalesce(sum(cost_usd), 0)::text as known,
             (count(*) filter (where tokens_in is not null and cost_usd is null))::int as unknown, (count(*) filter (where tokens_in is not null))::int as calls
        from m where m.tokens_in is not null group by 1`);
    expect(sortByKey(service.rows.map((r) => ({ key: r.key, tokensIn: r.tokensIn, tokensOut: r.tokensOut, knownCostUsd: r.knownCostUsd, costUsd: r.costUsd, unknown: r.unknownCostCalls, calls: r.calls })))).toEqual(
      sortByKey(expected.map((e) => ({ key: e.key, tokensIn: Number(e.tokens_in), tokensOut: Number(e.tokens_out), knownCostUsd: Number(e.known), costUsd: e.unknown > 0 ? null : Number(e.known), unknown: e.unknown, calls: e.calls }))),
    );
  }
}

/** Completed and failed block rows of non-test runs in the range, with their hour. */
const rawBlocks = (range: Range = { from: FROM, to: TO }) => sql`
  select e.flow_id, b.execution_id, b.node_id, b.block_type, b.status::text as status, b.duration_ms, b.ttft_ms, b.tokens_in, b.tokens_out, b.cost_usd,
         b.error->>'code' as err_code, b.error->>'message' as err_message, coalesce(b.finished_at, b.started_at, b.created_at) as at,
         weft_block_model(b.block_type, b.output, e.graph, b.node_id) as model,
         date_trunc('hour', coalesce(b.finished_at, b.started_at, b.created_at), 'UTC') as hour
    from block_executions b join flow_executions e on e.id = b.execution_id
   where e.workspace_id = ${workspaceId}::uuid and e.kind = 'flow' and b.status in ('completed', 'failed')
     and date_trunc('hour', coalesce(b.finished_at, b.started_at, b.created_at), 'UTC') >= ${hourOf(range.from).toISOString()}::timestamptz
     and date_trunc('hour', coalesce(b.finished_at, b.started_at, b.created_at), 'UTC') < ${range.to.toISOString()}::timestamptz`;

/** Analytics apply `from` at hour granularity (rounded down). */
const hourOf = (d: Date) => new Date(Math.floor(d.getTime() / HOUR_MS) * HOUR_MS);

type Figures = ReturnType<typeof pickFigures> & { key: string };

function pickFigures(s: {
  runs: number; failures: number; tokensIn: number; tokensOut: number; knownCostUsd: number; costUsd: number | null; unknownCostCalls: number;
  p50DurationMs: number | null; p95DurationMs: number | null; p50TtftMs: number | null; decisions: number; correct: number; incorrect: number; partial: number; accuracy: number | null;
}) {
  return {
    runs: s.runs, failures: s.failures, tokensIn: s.tokensIn, tokensOut: s.tokensOut, knownCostUsd: s.knownCostUsd, costUsd: s.costUsd, unknownCostCalls: s.unknownCostCalls,
    p50DurationMs: s.p50DurationMs, p95DurationMs: s.p95DurationMs, p50TtftMs: s.p50TtftMs,
    decisions: s.decisions, correct: s.correct, incorrect: s.incorrect, partial: s.partial, accuracy: s.accuracy,
  };
}

/** The block figures computed from the raw rows (percentiles with percentile_disc over the same ms keys). */
async function rawBlockFigures(range: Range, unit: "hour" | "day" | null): Promise<Figures[]> {
  const bk = (column: string) => (unit ? sql.raw(`date_trunc('${unit}', ${column}, 'UTC')`) : sql`null::timestamptz`);
  type Row = { flow_id: string; node_id: string; b: string | Date | null; runs: number; failures: number; tokens_in: number; tokens_out: number; known: string; unknown: number; p50: number | null; p95: number | null; ttft: number | null };
  const blocks = await raw<Row>(sql`
    with m as (${rawBlocks(range)})
    select flow_id, node_id, ${bk("hour")} as b, count(*)::int as runs, (count(*) filter (where status = 'failed'))::int as failures,
           coalesce(sum(tokens_in), 0)::float8 as tokens_in, coalesce(sum(tokens_out), 0)::float8 as tokens_out, coalesce(sum(cost_usd), 0)::text as known,
           (count(*) filter (where tokens_in is not null and cost_usd is null))::int as unknown,
           percentile_disc(0.5) within group (order by weft_ms_key(duration_ms)) as p50,
           percentile_disc(0.95) within group (order by weft_ms_key(duration_ms)) as p95,
           percentile_disc(0.5) within group (order by weft_ms_key(ttft_ms)) as ttft
      from m group by 1, 2, 3`);
  type DRow = { flow_id: string; node_id: string; b: string | Date | null; decisions: number; correct: number; incorrect: number; partial: number };
  const feedback = await raw<DRow>(sql`
    select flow_id, node_id, ${bk("date_trunc('hour', created_at, 'UTC')")} as b, count(*)::int as decisions,
           (count(*) filter (where feedback = 'correct'))::int as correct, (count(*) filter (where feedback = 'incorrect'))::int as incorrect,
           (count(*) filter (where feedback = 'partial'))::int as partial
      from decisions
     where workspace_id = ${workspaceId}::uuid and not is_test
       and date_trunc('hour', created_at, 'UTC') >= ${hourOf(range.from).toISOString()}::timestamptz and date_trunc('hour', created_at, 'UTC') < ${range.to.toISOString()}::timestamptz
     group by 1, 2, 3`);
  const key = (r: { flow_id: string; node_id: string; b: string | Date | null }) => `${r.flow_id}|${r.node_id}|${r.b === null ? "" : new Date(r.b).toISOString()}`;
  const out = new Map<string, Figures>();
  const empty = (k: string): Figures => ({
    key: k, runs: 0, failures: 0, tokensIn: 0, tokensOut: 0, knownCostUsd: 0, costUsd: 0, unknownCostCalls: 0,
    p50DurationMs: null, p95DurationMs: null, p50TtftMs: null, decisions: 0, correct: 0, incorrect: 0, partial: 0, accuracy: null,
  });
  for (const r of blocks) {
    out.set(key(r), {
      ...empty(key(r)), runs: r.runs, failures: r.failures, tokensIn: Number(r.tokens_in), tokensOut: Number(r.tokens_out), knownCostUsd: Number(r.known),
      costUsd: r.unknown > 0 ? null : Number(r.known), unknownCostCalls: r.unknown, p50DurationMs: r.p50, p95DurationMs: r.p95, p50TtftMs: r.ttft,
    });
  }
  for (const d of feedback) {
    const f = out.get(key(d)) ?? empty(key(d));
    const judged = d.correct + d.incorrect;
    out.set(key(d), { ...f, decisions: d.decisions, correct: d.correct, incorrect: d.incorrect, partial: d.partial, accuracy: judged > 0 ? d.correct / judged : null });
  }
  return [...out.values()];
}

const sortByKey = <T extends { key: string }>(rows: T[]) => [...rows].sort((a, b) => a.key.localeCompare(b.key));
