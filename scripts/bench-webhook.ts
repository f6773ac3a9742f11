/**
 * Webhook figures for `npm run bench` (called from scripts/bench.ts on a migrated database): a flow of
 * three function blocks behind a sync-mode webhook, served over real HTTP on 127.0.0.1 by the REST app
 * while the engine runs in the same process (as `npm start` does). Requests are sent open-loop at a
 * fixed rate for a fixed time; every answer is timed from send to last byte. Afterwards each run's
 * event log is checked: complete, contiguous, ending with execution_complete.
 * Also: how long a 404 takes for a wrong secret and for a flow with no webhook (they should match).
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { performance } from "node:perf_hooks";
import { serve } from "@hono/node-server";
import { createDatabase, createNotifyBus, type DatabaseHandle } from "@weft/db";
import { createGuardedFetch } from "@weft/engine";
import { createTestEngine, edge, node } from "@weft/engine/testing";
import { createLocalAuthenticator } from "../packages/api/src/auth/local";
import { createArtifactSettings } from "../packages/api/src/lib/artifact-storage/settings";
import type { Deps } from "../packages/api/src/lib/context";
import { createSecretBox } from "../packages/api/src/lib/crypto";
import { loadRunVariables } from "../packages/api/src/services/variables/load-run-variables";
import { createRestApp } from "../packages/api/src/rest/app";
import { configureWebhook } from "../packages/api/src/services/webhooks/configure-webhook";
import { seedFlow } from "../packages/engine/test/support";

type Print = (name: string, value: number, unit: string) => void;

const RATE_PER_SECOND = 40;
const DURATION_MS = 5_000;
const PROBES_404 = 200;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const SEQUENTIAL_RUNS = 50;
const WRK_SECONDS = 5;
const WRK_CONNECTIONS = 10;

export async function benchWebhook(label: string, baseHandle: DatabaseHandle, print: Print): Promise<void> {
  // Every statement and transaction the API and the engine send is counted by a wrapper around the
  // driver (BEGIN/COMMIT not counted as statements; a statement outside a transaction is one).
  const counts = { statements: 0, transactions: 0 };
  const handle = await createDatabase({
    url: baseHandle.url,
    observe: {
      statement: (_text, inTransaction) => {
        counts.statements++;
        if (!inTransaction) counts.transactions++;
      },
      transaction: () => counts.transactions++,
    },
  });
  const graph = {
    nodes: [
      node("in", "source"),
      node("parse", "function", { code: "return { order: input.trigger.body.order, items: input.trigger.body.items };" }),
      node("total", "function", { code: "return { order: input.order, total: input.items.reduce((s, i) => s + i.price * i.qty, 0) };" }),
      node("reply", "function", { code: "return { order: input.order, total: Math.round(input.total * 100) / 100, ok: true };" }),
      node("out", "sink"),
    ],
    edges: [edge("in", "parse"), edge("parse", "total"), edge("total", "reply"), edge("reply", "out")],
  };
  const seed = await seedFlow(handle.db, graph);
  const bus = createNotifyBus(handle);
  // The engine as `npm start` configures it (lease, heartbeat, group commit), not the test defaults.
  const secrets = createSecretBox(randomBytes(32));
  const t = await createTestEngine(handle, {
    pollMs: 1_000,
    leaseMs: 30_000,
    heartbeatMs: 10_000,
    streamFlushMs: 100,
    getVariables: ({ workspaceId }) => loadRunVariables({ db: handle.db, secrets }, { workspaceId }),
  });
  const deps: Deps = {
    db: handle.db,
    bus,
    executions: t.store,
    fetch: createGuardedFetch({}),
    secrets,
    now: () => new Date(),
    sessionTtlMs: 3_600_000,
    signInLimit: { max: 10, windowMs: 900_000 },
    // Not used by webhooks; a folder that is never written.
    artifacts: createArtifactSettings({ dataDir: tmpdir(), maxBytes: 1, quotaBytes: 1 }),
    // As `npm start` wires it: runs created here start here (direct dispatch, in-process sync wait).
    engine: t.engine,
  };
  const actor = { workspaceId: seed.workspaceId, role: "owner" as const, userId: null };
  const { path } = await configureWebhook(deps, {
    actor,
    input: { flowId: seed.flowId, responseMode: "sync", syncTimeoutMs: 60_000, rateLimitPerMinute: 100_000 },
  });
  const app = createRestApp({ deps, authenticator: createLocalAuthenticator(deps) });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await t.engine.start();

  const call = async (url: string, i: number) => {
    const started = performance.now();
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ order: i, items: [{ price: 9.99, qty: 2 }, { price: 1.5, qty: i % 5 }] }),
    });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - started, executionId: res.headers.get("webhook-execution-id") };
  };

  try {
    // Warm-up: sandbox workers, JIT, query plans.
    for (let i = 0; i < 20; i++) await call(`${base}${path!}`, i);

    const interval = 1000 / RATE_PER_SECOND;
    const pending: Array<Promise<{ status: number; ms: number; executionId: string | null }>> = [];
    const start = performance.now();
    for (let i = 0; performance.now() - start < DURATION_MS; i++) {
      pending.push(call(`${base}${path!}`, i));
      const next = start + (i + 1) * interval;
      await sleep(Math.max(0, next - performance.now()));
    }
    const results = await Promise.all(pending);
    const elapsedS = (performance.now() - start) / 1000;
    const ok = results.filter((r) => r.status === 200);
    const latencies = ok.map((r) => r.ms).sort((a, b) => a - b);
    print(`${label}.webhook_sync_3_functions.offered_rate`, RATE_PER_SECOND, "req/s");
    print(`${label}.webhook_sync_3_functions.requests`, results.length, "requests");
    // The sender shares the event loop with the server and the engine:
    // when they saturate it, fewer requests go out than offered. This is what really went out.
    print(`${label}.webhook_sync_3_functions.sent_rate`, results.length / (DURATION_MS / 1000), "req/s");
    print(`${label}.webhook_sync_3_functions.answered_200`, ok.length, "requests");
    print(`${label}.webhook_sync_3_functions.executions_per_second`, ok.length / elapsedS, "exec/s");
    print(`${label}.webhook_sync_3_functions.latency_p50`, percentile(latencies, 50), "ms");
    print(`${label}.webhook_sync_3_functions.latency_p99`, percentile(latencies, 99), "ms");

    // Every run's events are stored: contiguous from 0, ending with execution_complete.
    let complete = 0;
    for (const r of ok) {
      const events = await t.store.events(r.executionId!);
      const contiguous = events.every((e, i) => e.index === i);
      if (contiguous && events.at(-1)?.type === "execution_complete" && events.filter((e) => e.type === "node_complete").length === 5) complete++;
    }
    print(`${label}.webhook_sync_3_functions.runs_with_every_event_stored`, complete, "runs");

    // 404s: a wrong secret for a flow with a webhook vs. a flow id with no webhook.
    const flowId = path!.split("/")[3]!;
    const time404 = async (url: string) => {
      const times: number[] = [];
      for (let i = 0; i < PROBES_404; i++) {
        const r = await call(url, i);
        if (r.status !== 404) throw new Error(`expected 404 from ${url}, got ${r.status}`);
        times.push(r.ms);
      }
      return percentile(times.sort((a, b) => a - b), 50);
    };
    const wrongSecret = randomBytes(32).toString("base64url");
    print(`${label}.webhook_404_wrong_secret_p50`, await time404(`${base}/api/webhooks/${flowId}/${wrongSecret}`), "ms");
    print(`${label}.webhook_404_unknown_flow_p50`, await time404(`${base}/api/webhooks/00000000-0000-4000-8000-000000000000/${wrongSecret}`), "ms");

    // Sequential: statements and transactions per run, and the latency of one request on an idle server.
    const sequential: number[] = [];
    const before = { ...counts };
    for (let i = 0; i < SEQUENTIAL_RUNS; i++) {
      const r = await call(`${base}${path!}`, i);
      if (r.status !== 200) throw new Error(`sequential run answered ${r.status}`);
      sequential.push(r.ms);
    }
    print(`${label}.webhook.statements_per_run`, (counts.statements - before.statements) / SEQUENTIAL_RUNS, "statements");
    print(`${label}.webhook.transactions_per_run`, (counts.transactions - before.transactions) / SEQUENTIAL_RUNS, "transactions");
    print(`${label}.webhook.sequential_p50`, percentile(sequential.sort((a, b) => a - b), 50), "ms");

    // wrk (closed loop, WRK_CONNECTIONS connections) when installed: throughput, latency, and this
    // process's CPU (API + engine; wrk is another process) per run.
    const wrk = await wrkRun(`${base}${path!}`);
    if (wrk) {
      const cpu = process.cpuUsage();
      const stats = await wrk();
      const used = process.cpuUsage(cpu);
      // Requests wrk left in flight when it stopped: let their runs end before the engine stops.
      await t.engine.idle();
      print(`${label}.webhook.exec_per_s`, (stats.requests - stats.non200) / WRK_SECONDS, "exec/s");
      print(`${label}.webhook.p50`, stats.p50, "ms");
      print(`${label}.webhook.p99`, stats.p99, "ms");
      print(`${label}.webhook.non_200`, stats.non200, "responses");
      print(`${label}.webhook.cpu_ms_per_run`, (used.user + used.system) / 1000 / Math.max(1, stats.requests), "ms");
    }
  } finally {
    await t.engine.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await handle.close();
  }
}

/** A prepared wrk run against `url` (null when wrk is not installed). */
async function wrkRun(url: string): Promise<(() => Promise<{ requests: number; p50: number; p99: number; non200: number }>) | null> {
  const run = promisify(execFile);
  try {
    await run("wrk", ["--version"]).catch((error: { stdout?: string }) => {
      if (!error.stdout?.includes("wrk")) throw error;
    });
  } catch {
    return null;
  }
  const dir = fs.mkdtempSync(path.join(tmpdir(), "weft-wrk-"));
  const script = path.join(dir, "post.lua");
  fs.writeFileSync(
    script,
    [
      'wrk.method = "POST"',
      'wrk.headers["Content-Type"] = "application/json"',
      `wrk.body = '${JSON.stringify({ order: 7, items: [{ price: 9.99, qty: 2 }, { price: 1.5, qty: 3 }] })}'`,
      'done = function(summary, latency, requests) io.write(string.format("WEFT %d %f %f\\n", summary.requests, latency:percentile(50) / 1000, latency:percentile(99) / 1000)) end',
    ].join("\n"),
  );
  return async () => {
    try {
      const { stdout } = await run("wrk", ["-t1", `-c${WRK_CONNECTIONS}`, `-d${WRK_SECONDS}s`, "-s", script, url], { maxBuffer: 1 << 20 });
      const match = /WEFT (\d+) ([\d.]+) ([\d.]+)/.exec(stdout);
      if (!match) throw new Error(`unexpected wrk output: ${stdout}`);
      const errors = /Non-2xx or 3xx responses: (\d+)/.exec(stdout);
      return { requests: Number(match[1]), p50: Number(match[2]), p99: Number(match[3]), non200: errors ? Number(errors[1]) : 0 };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}
