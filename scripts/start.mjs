#!/usr/bin/env node
// `npm start`: everything a fresh clone needs, in order, each step skipped when already done:
//   1. install dependencies (npm ci / npm install) when node_modules is missing or stale;
//   2. `next build` apps/web unless the build stamp matches the sources;
//   3. unless DATABASE_URL is set: start the embedded PostgreSQL of WEFT_DATA_DIR (this process owns
//      it: stopped last, after the web server; if it dies, the web server is stopped and we exit 1);
//   4. apply database migrations (scripts/migrate.ts);
//   5. run `next start` in its own process group, forwarding SIGINT/SIGTERM/SIGHUP to the group
//      (killing only a wrapper would leave next-server holding the port).
// Plain Node ESM with no dependencies: it must run before `npm install` has.
//
// Environment: PORT (default 3000) and everything in .env.example, read from the environment and
// from <repo>/.env.local and <repo>/.env. WEFT_NEXT_DIST_DIR picks another build folder (used by
// the Playwright server). NEXT_TELEMETRY_DISABLED and CLERK_TELEMETRY_DISABLED default to 1.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildFingerprint, isBuildFresh, writeBuildStamp } from "./lib/build-stamp.mjs";
import { loadRootEnv, repoRoot } from "./lib/repo.mjs";

const root = repoRoot;
const webDir = path.join(root, "apps", "web");
const distDir = path.resolve(webDir, process.env.WEFT_NEXT_DIST_DIR || ".next");
const t0 = performance.now();

/** @param {string} message */
const log = (message) => console.log(`[weft] ${message}`);
/** @param {number} since */
const seconds = (since) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------------
// Child processes: each runs in its own process group; our termination signals go to that group.

/** @type {import("node:child_process").ChildProcess | undefined} */
let current;
/** @type {NodeJS.Signals | undefined} */
let stopSignal;
/** The embedded database server, when this process started it (step 3).
 * @type {{ pid: number, port: number, pgDir: string, url: string, stop: () => Promise<void>, lastLog: () => string[], exited: Promise<{ code: number | null, signal: string | null }> } | undefined} */
let database;

for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM", "SIGHUP"])) {
  process.on(signal, () => {
    stopSignal ??= signal;
    if (current?.pid && current.exitCode === null && current.signalCode === null) {
      try {
        process.kill(-current.pid, signal);
      } catch {
        // the group is already gone
      }
    } else {
      process.exit(128 + signalNumber(signal));
    }
  });
}
// `npm start` runs us under `sh -c`; on SIGTERM npm signals that shell, which dies without passing
// the signal on. Losing our parent therefore means "stop" too.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) process.emit("SIGTERM", "SIGTERM");
}, 500).unref();
// If this process dies for any other reason, do not leave a server behind.
process.on("exit", () => {
  if (current?.pid && current.exitCode === null && current.signalCode === null) {
    try {
      process.kill(-current.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  if (database) {
    try {
      process.kill(database.pid, "SIGINT"); // PostgreSQL's fast shutdown; it finishes on its own
    } catch {
      // already gone
    }
  }
});

/** @param {NodeJS.Signals} signal */
function signalNumber(signal) {
  return /** @type {Record<string, number>} */ ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 })[signal] ?? 0;
}

/**
 * Spawns a command in its own process group and resolves with its exit code (128+n if killed by
 * signal n).
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string }} [options]
 * @returns {{ child: import("node:child_process").ChildProcess, exited: Promise<number> }}
 */
function launch(command, args, options = {}) {
  const child = spawn(command, args, {
    cwd: options.cwd ?? root,
    // WEFT_SUPERVISOR_PID: the server stops itself if this process disappears without a signal
    // (e.g. SIGKILL), see apps/web/src/instrumentation-node.ts.
    env: { ...process.env, WEFT_SUPERVISOR_PID: String(process.pid) },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  current = child;
  /** @type {Promise<number>} */
  const exited = new Promise((resolve) => {
    child.once("error", (error) => {
      console.error(`[weft] could not run ${command}: ${error.message}`);
      resolve(127);
    });
    child.once("exit", (code, signal) => {
      resolve(code ?? 128 + (signal ? signalNumber(signal) || 1 : 1));
    });
  });
  return { child, exited };
}

/**
 * Runs a step to completion; exits this process when it fails or when we were asked to stop.
 * @param {string} label
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string }} [options]
 */
async function step(label, command, args, options) {
  const started = performance.now();
  log(`${label}...`);
  const code = await launch(command, args, options).exited;
  current = undefined;
  if (stopSignal) process.exit(128 + signalNumber(stopSignal));
  if (code !== 0) {
    console.error(`[weft] ${label} failed (exit code ${code})`);
    process.exit(code);
  }
  log(`${label}: done in ${seconds(started)}`);
}

// ---------------------------------------------------------------------------------------------
// 1. Dependencies

/** @param {string} file */
const mtime = (file) => fs.statSync(file).mtimeMs;

async function ensureDependencies() {
  const lockfile = path.join(root, "package-lock.json");
  const installed = path.join(root, "node_modules", ".package-lock.json");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  if (!fs.existsSync(path.join(root, "node_modules")) && fs.existsSync(lockfile)) {
    await step("Installing dependencies (npm ci)", npm, ["ci", "--no-audit", "--no-fund"]);
  } else if (!fs.existsSync(installed) || (fs.existsSync(lockfile) && mtime(installed) < mtime(lockfile))) {
    await step("Updating dependencies (npm install)", npm, ["install", "--no-audit", "--no-fund"]);
  } else {
    return;
  }
  // npm leaves the hidden lockfile untouched when nothing changed: mark the install as current.
  if (fs.existsSync(installed)) {
    const now = new Date();
    fs.utimesSync(installed, now, now);
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Build (skipped when the stamp matches)

async function ensureBuild() {
  const fingerprint = buildFingerprint(root);
  if (isBuildFresh(distDir, fingerprint)) {
    log(`Build is up to date (${path.relative(root, distDir)})`);
    return;
  }
  writeBuildStamp(distDir, null);
  await step("Building apps/web (next build)", process.execPath, [nextBin(), "build"], { cwd: webDir });
  writeBuildStamp(distDir, fingerprint);
}

function nextBin() {
  const bin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  if (!fs.existsSync(bin)) {
    console.error("[weft] next is not installed: run `npm install`");
    process.exit(1);
  }
  return bin;
}

// ---------------------------------------------------------------------------------------------
// 3. The embedded database (unless DATABASE_URL is set)

async function startDatabase() {
  if (process.env.DATABASE_URL) return;
  // The embedded server's code is TypeScript in packages/db; tsx (installed in step 1) loads it.
  const { register } = await import("tsx/esm/api");
  register();
  /** @type {{ startEmbeddedPostgres: (options: { dataDir: string, owner: string, port?: number, onLog?: (line: string) => void }) => Promise<NonNullable<typeof database>> }} */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- a .ts module loaded through tsx at run time, typed above
  const embedded = (await import(pathToFileURL(path.join(root, "packages", "db", "src", "embedded", "index.ts")).href));
  const dataDir = path.resolve(root, process.env.WEFT_DATA_DIR || ".data");
  const port = process.env.WEFT_EMBEDDED_DB_PORT ? Number(process.env.WEFT_EMBEDDED_DB_PORT) : undefined;
  const started = performance.now();
  log(`Starting the embedded database (${path.relative(root, dataDir) || "."}/pg)...`);
  try {
    database = await embedded.startEmbeddedPostgres({
      dataDir,
      owner: "npm start",
      port,
      onLog: (/** @type {string} */ line) => {
        if (/created the embedded database|stopping an orphaned|FATAL|PANIC/.test(line)) log(`postgres: ${line}`);
      },
    });
  } catch (error) {
    console.error(`[weft] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  const server = /** @type {NonNullable<typeof database>} */ (database);
  log(`Embedded PostgreSQL 17 ready on 127.0.0.1:${server.port}: done in ${seconds(started)}`);
  void server.exited.then(({ code, signal }) => {
    if (stopSignal || database !== server) return; // we are stopping it
    database = undefined;
    console.error(
      `[weft] the embedded database stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping Weft. ` +
        `Its last log lines (all of them in ${path.join(dataDir, "pg.log")}):\n` +
        server.lastLog().map((line) => `  ${line}`).join("\n") +
        "\n[weft] `npm start` again recovers it; runs in flight resume.",
    );
    if (current?.pid && current.exitCode === null && current.signalCode === null) {
      try {
        process.kill(-current.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    process.exit(1);
  });
  // Every child (migrations, the web server) reaches the server through <dataDir>/pg.json.
}

/** Stops the embedded server (after the web server is gone). */
async function stopDatabase() {
  const server = database;
  database = undefined;
  if (server) await server.stop();
}

// ---------------------------------------------------------------------------------------------
// 4. Serve

/**
 * Resolves once the server answers HTTP (Next waits for instrumentation, i.e. the database, before
 * serving), or with false when `exited` settles first.
 * @param {number} port
 * @param {Promise<number>} exited
 */
async function waitUntilServing(port, exited) {
  let done = false;
  void exited.then(() => {
    done = true;
  });
  const deadline = Date.now() + 120_000;
  while (!done && Date.now() < deadline) {
    try {
      await fetch(`http://127.0.0.1:${port}/`, { redirect: "manual", signal: AbortSignal.timeout(5_000) });
      return !done;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return false;
}

/**
 * Resolves once nothing answers on the port any more (at most `ms`): after a kill -9 of `npm start`,
 * the previous web server notices within a second and shuts down gracefully, freeing the port.
 * @param {number} port
 * @param {number} ms
 */
async function waitForFreePort(port, ms) {
  const inUse = () =>
    new Promise((resolve) => {
      const socket = net.connect({ port, host: "127.0.0.1" });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
  if (!(await inUse())) return;
  log(`Port ${port} is in use (a previous Weft still stopping?): waiting up to ${ms / 1000} s...`);
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    if (!(await inUse())) return;
  }
  console.error(`[weft] port ${port} is in use by another process: stop it, or set PORT to another port`);
  await stopDatabase();
  process.exit(1);
}

async function serve() {
  const port = process.env.PORT || "3000";
  const started = performance.now();
  await waitForFreePort(Number(port), 60_000);
  log(`Starting the server on port ${port}...`);
  const { exited } = launch(process.execPath, [nextBin(), "start", "-p", port], { cwd: webDir });
  if (await waitUntilServing(Number(port), exited)) {
    log(`Server ready in ${seconds(started)} (${seconds(t0)} in total)`);
    console.log(`\nWeft is running at http://localhost:${port}\n`);
  }
  const code = await exited;
  current = undefined;
  // A stop we asked for (Ctrl-C, SIGTERM) that Next completed gracefully is a success.
  await stopDatabase();
  if (stopSignal && (code === 0 || code === 128 + signalNumber(stopSignal))) {
    log("Server stopped");
    process.exit(0);
  }
  if (code !== 0) console.error(`[weft] the server exited with code ${code}`);
  process.exit(code);
}

// ---------------------------------------------------------------------------------------------

process.chdir(root);
loadRootEnv(root);
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
process.env.CLERK_TELEMETRY_DISABLED ??= "1";

await ensureDependencies();
await ensureBuild();
await startDatabase();
await step("Applying database migrations", process.execPath, ["--import", "tsx", "scripts/migrate.ts"]);
await serve();
