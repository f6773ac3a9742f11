/**
 * The engine processes under test: the web server (`next start` of the production build, web and
 * engine in one process as `npm start` runs it) and `apps/worker` processes. Each runs in its own
 * process group, its output appended to `<logDir>/<name>.log`. `kill()` is a SIGKILL of the whole
 * group; an exit the soak did not cause is counted and the process started again.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export type ProcessKind = "web" | "worker";

export type EngineProcess = {
  name: string;
  kind: ProcessKind;
  /** Starts the process and resolves once it serves (web: answers HTTP; worker: says it runs). */
  start: () => Promise<void>;
  /** kill -9 of its process group; resolves once it is gone. */
  kill: () => Promise<void>;
  /** SIGTERM, for the end of the soak. */
  stop: () => Promise<void>;
  isReady: () => boolean;
  unexpectedExits: () => number;
};

export type ProcessOptions = { root: string; env: NodeJS.ProcessEnv; logDir: string; log: (line: string) => void };

const READY_TIMEOUT_MS = 180_000;

export function webProcess(options: ProcessOptions & { port: number }): EngineProcess {
  const next = path.join(options.root, "node_modules", "next", "dist", "bin", "next");
  return engineProcess("web", "web", options, [next, "start", "-p", String(options.port)], path.join(options.root, "apps", "web"), async (isAlive) => {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (isAlive() && Date.now() < deadline) {
      try {
        const res = await fetch(`http://127.0.0.1:${options.port}/api/v1/openapi.json`, { signal: AbortSignal.timeout(5_000) });
        await res.arrayBuffer();
        if (res.ok) return true;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return false;
  });
}

export function workerProcess(name: string, options: ProcessOptions): EngineProcess {
  return engineProcess(name, "worker", options, ["--import", "tsx", "src/main.ts"], path.join(options.root, "apps", "worker"), null);
}

function engineProcess(
  name: string,
  kind: ProcessKind,
  options: ProcessOptions,
  args: string[],
  cwd: string,
  probe: ((isAlive: () => boolean) => Promise<boolean>) | null,
): EngineProcess {
  const logFile = path.join(options.logDir, `${name}.log`);
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let ready = false;
  let expectingExit = false;
  let unexpected = 0;

  const alive = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  async function start(): Promise<void> {
    expectingExit = false;
    ready = false;
    const out = fs.openSync(logFile, "a");
    fs.writeSync(out, `\n==== ${new Date().toISOString()} start ${name}\n`);
    const started = spawn(process.execPath, args, { cwd, env: options.env, detached: true, stdio: ["ignore", "pipe", out] });
    fs.closeSync(out);
    child = started;
    let sawRunning: () => void = () => {};
    const running = new Promise<void>((resolve) => (sawRunning = resolve));
    const sink = fs.createWriteStream(logFile, { flags: "a" });
    started.stdout!.on("data", (chunk: Buffer) => {
      sink.write(chunk);
      if (/\[weft-worker\] .* is running on/.test(chunk.toString("utf8"))) sawRunning();
    });
    exited = new Promise<void>((resolve) => {
      started.once("exit", (code, signal) => {
        sink.end();
        ready = false;
        if (!expectingExit && child === started) {
          unexpected++;
          options.log(`${name} exited unexpectedly (${signal ?? `code ${code}`}: ${lastError(logFile)}); starting it again (see ${logFile})`);
          setTimeout(() => void start().catch((error: unknown) => options.log(`${name} did not restart: ${String(error)}`)), 1_000);
        }
        sawRunning();
        resolve();
      });
    });
    const ok = probe
      ? await probe(() => child === started && alive())
      : await Promise.race([running.then(() => child === started && alive()), sleep(READY_TIMEOUT_MS).then(() => false)]);
    if (!ok) {
      if (child === started && alive()) throw new Error(`${name} did not become ready in ${READY_TIMEOUT_MS / 1000} s (see ${logFile})`);
      return; // it exited: the exit handler counts it and starts it again
    }
    ready = true;
  }

  async function signal(sig: NodeJS.Signals): Promise<void> {
    if (!child || !alive()) return;
    expectingExit = true;
    ready = false;
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
    await exited;
  }

  return {
    name,
    kind,
    start,
    kill: () => signal("SIGKILL"),
    stop: async () => {
      const stopping = signal("SIGTERM");
      const timedOut = await Promise.race([stopping.then(() => false), sleep(15_000).then(() => true)]);
      if (timedOut) await signal("SIGKILL");
    },
    isReady: () => ready && alive(),
    unexpectedExits: () => unexpected,
  };
}

/** The last line of a log that names an error (what a crashed process said last). */
function lastError(logFile: string): string {
  const tail = fs.readFileSync(logFile, "utf8").slice(-20_000).split("\n");
  return tail.findLast((line) => /^\w*Error\b|Error:/.test(line.trim()))?.trim().slice(0, 200) ?? "no error logged";
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
