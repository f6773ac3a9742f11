/**
 * `npm run bench`: performance figures, one per line as `name: value unit`, each ratio measured
 * against a baseline taken in the same run on the same database. Runs on the embedded PostgreSQL 17
 * (a fresh data folder, durable settings, as `npm start` runs it) and, when DATABASE_URL is set, on
 * that Postgres (in a scratch database).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import postgres from "postgres";
import { createDatabase, migrate, sql, startEmbeddedPostgres, type DatabaseHandle } from "@weft/db";
import { createTestEngine, edge, node } from "@weft/engine/testing";
import { createSandbox } from "../packages/engine/src/sandbox";
import { createExecutionStore } from "@weft/engine";
import { seedFlow } from "../packages/engine/test/support";
import { benchAnalytics } from "./bench-analytics";
import { benchStream } from "./bench-stream";
import { benchWebhook } from "./bench-webhook";

const print = (name: string, value: number, unit: string) => console.log(`${name}: ${Number(value.toFixed(3))} ${unit}`);

async function rawCommitMs(handle: DatabaseHandle, n: number): Promise<number> {
  await handle.db.execute(sql`create table if not exists bench_rows (id serial primary key, x int not null)`);
  for (let i = 0; i < 20; i++) await handle.db.execute(sql`insert into bench_rows (x) values (${i})`);
  const start = performance.now();
  for (let i = 0; i < n; i++) await handle.db.execute(sql`insert into bench_rows (x) values (${i})`);
  return (performance.now() - start) / n;
}

/** The same single-row insert straight through the driver (no drizzle): the floor of a commit. */
async function driverCommitMs(handle: DatabaseHandle, n: number): Promise<number> {
  const insert = (i: number) => handle.sql.unsafe("insert into bench_rows (x) values ($1)", [i], { prepare: true });
  for (let i = 0; i < 20; i++) await insert(i);
  const start = performance.now();
  for (let i = 0; i < n; i++) await insert(i);
  return (performance.now() - start) / n;
}

async function linearFlowPerNodeMs(
  handle: DatabaseHandle,
  nodes: number,
  runs: number,
  groupCommitMs?: number,
): Promise<{ perNodeMs: number; storeCalls: number }> {
  const graph = {
    nodes: [
      node("source", "source"),
      ...Array.from({ length: nodes }, (_, i) => node(`f${i}`, "function", { code: "return input;" })),
      node("sink", "sink"),
    ],
    edges: [edge("source", "f0"), ...Array.from({ length: nodes - 1 }, (_, i) => edge(`f${i}`, `f${i + 1}`)), edge(`f${nodes - 1}`, "sink")],
  };
  const seed = await seedFlow(handle.db, graph);
  // The engine as `npm start` configures it (group commit window included), not the test defaults.
  const t = await createTestEngine(handle, { pollMs: 50, streamFlushMs: 100, ...(groupCommitMs === undefined ? {} : { groupCommitMs }) });
  let storeCalls = 0;
  const commit = t.store.commit.bind(t.store);
  t.store.commit = (input) => {
    storeCalls++;
    return commit(input);
  };
  await t.engine.start();
  try {
    const times: number[] = [];
    const calls: number[] = [];
    for (let r = 0; r < runs + 2; r++) {
      storeCalls = 0;
      const execution = await t.store.create({ workspaceId: seed.workspaceId, flowId: seed.flowId, graph, input: { x: 1 } });
      const done = await t.waitFor(execution.id, ["completed", "failed"], 120_000);
      if (done.execution.status !== "completed") throw new Error(`bench run failed: ${JSON.stringify(done.execution.error)}`);
      // The engine's own clock: from the start transition to the completion commit (every event stored).
      // The first runs warm up the sandbox workers, the JIT and the query plans.
      if (r > 1) {
        times.push(done.execution.durationMs! / (nodes + 2));
        calls.push(storeCalls);
      }
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return { perNodeMs: median(times), storeCalls: median(calls) };
  } finally {
    await t.engine.stop();
  }
}

/** One node's commit as the engine makes it (node_start + node_complete + its block row), alone. */
async function nodeCommitMs(handle: DatabaseHandle, n: number): Promise<number> {
  const seed = await seedFlow(handle.db);
  const store = createExecutionStore({ db: handle.db });
  const execution = await store.create({ workspaceId: seed.workspaceId, flowId: seed.flowId, graph: { nodes: [], edges: [] }, input: {} });
  await store.claim({ owner: "bench", leaseMs: 600_000, onlyId: execution.id });
  const commit = (i: number) =>
    store.commit({
      executionId: execution.id,
      owner: "bench",
      leaseMs: 30_000,
      events: [
        { type: "node_start", nodeId: `n${i}`, blockType: "function", attempt: 1 },
        { type: "node_complete", nodeId: `n${i}`, output: { x: 1 }, durationMs: 0 },
      ],
      blocks: [{ nodeId: `n${i}`, iteration: "", blockType: "function", status: "completed", attempt: 1, input: { x: 1 }, output: { x: 1 }, startedAt: new Date(), finishedAt: new Date(), durationMs: 0 }],
    });
  for (let i = 0; i < 20; i++) await commit(-1 - i);
  const start = performance.now();
  for (let i = 0; i < n; i++) await commit(i);
  return (performance.now() - start) / n;
}

/** The same work without durability: each trivial function block run through the sandbox directly. */
async function computePerNodeMs(nodes: number, runs: number): Promise<number> {
  const sandbox = await createSandbox();
  const signal = new AbortController().signal;
  const times: number[] = [];
  for (let r = 0; r < runs + 1; r++) {
    const start = performance.now();
    let value: unknown = { x: 1 };
    for (let i = 0; i < nodes; i++) value = (await sandbox.runFunction({ code: "return input;", input: value, ctx: { nodeId: `f${i}` }, signal })).value;
    if (r > 0) times.push((performance.now() - start) / (nodes + 2));
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

/** BENCH_ONLY=webhook (comma-separated: commit, stream, webhook, analytics) runs only those parts. */
const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim());
const enabled = (part: string) => !only || only.includes(part);

async function benchDatabase(label: string, handle: DatabaseHandle) {
  await migrate(handle);
  if (enabled("commit")) await benchCommits(label, handle);
  if (enabled("stream")) await benchStream(label, handle, print);
  if (enabled("webhook")) await benchWebhook(label, handle, print);
  // 1M block rows: on Postgres only (PGlite runs every statement on this thread; it is being replaced).
  if (label === "postgres" && enabled("analytics")) await benchAnalytics(label, handle, print);
}

async function benchCommits(label: string, handle: DatabaseHandle) {
  const raw = await rawCommitMs(handle, 300);
  print(`${label}.raw_single_row_commit`, raw, "ms");
  const commit = await nodeCommitMs(handle, 300);
  print(`${label}.node_commit`, commit, "ms");
  print(`${label}.node_commit_vs_raw_commit`, commit / raw, "x");
  const driver = await driverCommitMs(handle, 300);
  print(`${label}.driver_single_row_commit`, driver, "ms");
  const { perNodeMs: perNode, storeCalls } = await linearFlowPerNodeMs(handle, 100, 5);
  print(`${label}.linear_100_function_nodes.store_calls_per_run`, storeCalls, "calls");
  const compute = await computePerNodeMs(100, 3);
  print(`${label}.linear_100_function_nodes.per_node_total`, perNode, "ms");
  print(`${label}.linear_100_function_nodes.per_node_compute_without_durability`, compute, "ms");
  print(`${label}.linear_100_function_nodes.per_node_durable_overhead`, perNode - compute, "ms");
  print(`${label}.durable_overhead_vs_raw_commit`, (perNode - compute) / raw, "x");
  print(`${label}.total_vs_raw_commit`, perNode / raw, "x");
  print(`${label}.durable_overhead_vs_driver_commit`, (perNode - compute) / driver, "x");
  // Group commit (quick blocks' completions wait up to 10 ms for each other) measured both ways.
  const ungrouped = await linearFlowPerNodeMs(handle, 100, 5, 0);
  print(`${label}.linear_100_function_nodes.no_group_commit.store_calls_per_run`, ungrouped.storeCalls, "calls");
  print(`${label}.linear_100_function_nodes.no_group_commit.per_node_total`, ungrouped.perNodeMs, "ms");
  print(`${label}.linear_100_function_nodes.group_commit_speedup`, ungrouped.perNodeMs / perNode, "x");
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-bench-"));
fs.chmodSync(dir, 0o755);
try {
  const server = await startEmbeddedPostgres({ dataDir: dir, owner: "npm run bench" });
  try {
    const embedded = await createDatabase({ url: server.url });
    try {
      await benchDatabase("embedded", embedded);
    } finally {
      await embedded.close();
    }
  } finally {
    await server.stop();
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

if (process.env.DATABASE_URL) {
  const name = `weft_bench_${process.pid}`;
  const adminUrl = new URL(process.env.DATABASE_URL);
  adminUrl.pathname = "/postgres";
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  try {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    const pg = await createDatabase({ url: url.toString() });
    try {
      await benchDatabase("postgres", pg);
    } finally {
      await pg.close();
    }
  } finally {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}
