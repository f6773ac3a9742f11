/**
 * `npm run soak`: the engine under sustained chaos (issue 11, "Prove it under chaos").
 *
 * Sets up, on its own embedded PostgreSQL in a temporary folder (the machine's shared server is never
 * touched): the web process (`next start` of the production build) and 2 `apps/worker` processes; a
 * local HTTP server the flows call; an account, a workspace, an API key and the mixed flows, all
 * through the public REST API. Then, for SOAK_MINUTES (default 10; fractions allowed):
 * - about SOAK_RATE runs/min (default 200) of functions, a slow HTTP call, a delay, a loop of HTTP
 *   calls, an approval the soak decides, and an HTTP node that fails twice before it succeeds;
 * - a kill -9 of a random engine process every 10-60 s, started again at once;
 * - 2 Postgres restarts (fast shutdown at 1/3, immediate shutdown at 2/3).
 * Then it drains (no new runs, no chaos) until no run is active, checks the database and the HTTP
 * calls (scripts/soak/checks.ts), prints figures as `name: value unit`, and exits 1 on any miss.
 * Logs of every process are kept in the printed folder.
 */
import { randomBytes } from "node:crypto";
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { repoRoot } from "./lib/repo.mjs";
import { connectApi } from "./soak/api";
import { ensureWebBuild } from "./soak/build";
import { startChaos } from "./soak/chaos";
import { startApprover, startLoad, type StartedFlow } from "./soak/driver";
import { soakFlows } from "./soak/flows";
import { startSoakPostgres } from "./soak/postgres";
import { webProcess, workerProcess, type EngineProcess } from "./soak/processes";
import { activeRuns } from "./soak/rows";
import { startTarget } from "./soak/target";
import { verify } from "./soak/verify";

const minutes = Number(process.env.SOAK_MINUTES ?? 10);
const rate = Number(process.env.SOAK_RATE ?? 200);
if (!(minutes > 0) || !(rate > 0)) {
  console.error("[soak] SOAK_MINUTES and SOAK_RATE must be positive numbers");
  process.exit(2);
}
const DRAIN_TIMEOUT_MS = 300_000;
const RECOVERY_TIMEOUT_MS = 180_000;

const t0 = Date.now();
const log = (line: string) => console.log(`[soak ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-soak-logs-"));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-soak-data-"));
const distDirName = process.env.WEFT_NEXT_DIST_DIR || ".next-e2e";
const baseEnv: NodeJS.ProcessEnv = {
  ...process.env,
  WEFT_NEXT_DIST_DIR: distDirName,
  NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: "",
  CLERK_SECRET_KEY: "",
  CLERK_JWT_KEY: "",
  NEXT_TELEMETRY_DISABLED: "1",
  CLERK_TELEMETRY_DISABLED: "1",
};

await ensureWebBuild({ root: repoRoot, distDir: path.resolve(repoRoot, "apps", "web", distDirName), env: baseEnv, log });
const pg = await startSoakPostgres(log);
log(`postgres: ${pg.dataDir} (embedded, ours alone); logs: ${logDir}`);
const target = await startTarget();
const port = await freePort();
const env: NodeJS.ProcessEnv = {
  ...baseEnv,
  DATABASE_URL: pg.url,
  WEFT_DATA_DIR: dataDir,
  WEFT_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  WEFT_HTTP_ALLOW_HOSTS: "127.0.0.1",
  PORT: String(port),
};
const processes: EngineProcess[] = [];
const sql = postgres(pg.url, { max: 2, connect_timeout: 5, onnotice: () => {} });

// Ctrl-C: the engine processes and Postgres run in their own process groups; do not leave them behind.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping everything`);
    void Promise.allSettled(processes.map((p) => p.kill()))
      .then(() => pg.stop())
      .finally(() => process.exit(130));
  });
}

let exitCode = 1;
try {
  await migrateDatabase(env);
  const options = { root: repoRoot, env, logDir, log };
  processes.push(webProcess({ ...options, port }), workerProcess("worker-1", options), workerProcess("worker-2", options));
  await Promise.all(processes.map((p) => p.start()));
  log(`web on http://127.0.0.1:${port}, 2 workers, HTTP target ${target.base}`);

  const base = `http://127.0.0.1:${port}`;
  const api = await connectApi(base);
  const flows: StartedFlow[] = [];
  for (const spec of soakFlows(target.base)) {
    flows.push({ kind: spec.kind, weight: spec.weight, input: spec.input, flowId: await api.createFlow(`soak ${spec.kind}`, spec) });
  }
  log(`workspace ${api.workspaceId}: ${flows.length} flows; load ${rate} runs/min for ${minutes} min`);

  const durationMs = minutes * 60_000;
  const approver = startApprover(api);
  const load = startLoad(api, flows, rate, log);
  const chaos = startChaos({
    sql,
    workspaceId: api.workspaceId,
    processes,
    postgres: pg,
    pgRestartsAt: [durationMs / 3, (2 * durationMs) / 3],
    minGapMs: 10_000,
    maxGapMs: 60_000,
    recoveryTimeoutMs: RECOVERY_TIMEOUT_MS,
    log,
  });
  const progress = setInterval(() => {
    void activeRuns(sql, api.workspaceId).then(
      (runs) => log(`progress: ${load.starts.length} starts sent, ${runs.length} runs active`),
      () => undefined,
    );
  }, 30_000);
  await sleep(durationMs);
  const loadMs = Date.now() - (load.starts[0]?.at ?? Date.now());
  await load.stop();
  log(`load stopped; waiting for the chaos to settle (every process up, every recovery measured)...`);
  await chaos.stop();

  const drainStarted = Date.now();
  let active = await activeRuns(sql, api.workspaceId);
  while (active.length > 0 && Date.now() - drainStarted < DRAIN_TIMEOUT_MS) {
    await sleep(1_000);
    active = await activeRuns(sql, api.workspaceId).catch(() => active);
  }
  clearInterval(progress);
  const drainMs = Date.now() - drainStarted;
  log(`drain: ${active.length} runs still active after ${(drainMs / 1000).toFixed(0)} s`);
  await approver.stop();

  const misses = await verify({
    sql,
    workspaceId: api.workspaceId,
    calls: target.calls,
    starts: load.starts,
    loadMs,
    drainMs,
    kills: chaos.kills,
    restarts: chaos.restarts,
    approvals: approver.approvals(),
    unexpectedExits: processes.reduce((n, p) => n + p.unexpectedExits(), 0),
  });
  console.log(misses === 0 ? "\nSOAK PASSED" : `\nSOAK FAILED: ${misses} misses (process logs in ${logDir})`);
  exitCode = misses === 0 ? 0 : 1;
} catch (error) {
  console.error(`[soak] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  console.error(`[soak] process logs: ${logDir}`);
} finally {
  await Promise.allSettled(processes.map((p) => p.stop()));
  await sql.end({ timeout: 1 }).catch(() => undefined);
  await target.close();
  await pg.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);

async function migrateDatabase(childEnv: NodeJS.ProcessEnv): Promise<void> {
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/migrate.ts"], { cwd: repoRoot, env: childEnv, stdio: ["ignore", "inherit", "inherit"] });
    child.once("exit", (c) => resolve(c ?? 1));
  });
  if (code !== 0) throw new Error(`migrations failed (exit code ${code})`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
