import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runningEmbedded } from "@weft/db";

/**
 * `npm start` as a user runs it, on the embedded PostgreSQL (real processes, a real production build
 * shared with the Playwright run in `.next-e2e`): a second `npm start` on the same data folder is
 * refused; `apps/worker` joins the embedded database and takes runs; kill -9 of the whole process
 * group mid-run, then `npm start` again, and the run completes with no manual clean-up; the embedded
 * server dying under the app stops it non-zero with the server's last log lines, and the next start
 * recovers.
 */
const root = path.resolve(__dirname, "..");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-start-"));
fs.chmodSync(dataDir, 0o755);
const children: ChildProcess[] = [];
const MINUTES = 60_000;

type Started = { child: ChildProcess; output: string[]; exited: Promise<number | null> };

function run(command: string[], env: Record<string, string>): Started {
  const output: string[] = [];
  const child = spawn(process.execPath, command, {
    cwd: root,
    env: {
      ...process.env,
      WEFT_DATA_DIR: dataDir,
      WEFT_NEXT_DIST_DIR: ".next-e2e",
      DATABASE_URL: "",
      NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: "",
      CLERK_SECRET_KEY: "",
      CLERK_JWT_KEY: "",
      NEXT_TELEMETRY_DISABLED: "1",
      CLERK_TELEMETRY_DISABLED: "1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, as `npm start` in a terminal
  });
  children.push(child);
  for (const stream of [child.stdout, child.stderr]) stream.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output, exited };
}

const npmStart = (port: number) => run(["scripts/start.mjs"], { PORT: String(port) });

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, started?: Started): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (started && started.child.exitCode !== null) throw new Error(`${what}: the process exited ${started.child.exitCode}:\n${started.output.join("")}`);
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: timed out${started ? `:\n${started.output.join("")}` : ""}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("npm start on the embedded PostgreSQL", () => {
  let port: number;
  let base: string;
  let server: Started;
  let headers: Record<string, string>;
  let flowId: string;

  const api = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch((error: unknown) => {
      throw new Error(`${method} ${url}: ${(error as Error).message} ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : ""}\nserver output:\n${server.output.join("").slice(-4000)}`);
    });
    if (response.status >= 300) {
      throw new Error(`${method} ${url}: ${response.status} ${await response.text()}\nserver output:\n${server.output.join("").slice(-4000)}`);
    }
    return (await response.json()) as T;
  };
  const execute = (input: unknown) => api<{ executionId: string }>("POST", `/api/v1/flows/${flowId}/execute`, { input }).then((r) => r.executionId);
  const status = (id: string) => api<{ status: string; output?: unknown }>("GET", `/api/v1/executions/${id}`);
  // This `npm start` (not a previous one still shutting down on the same port) says it serves.
  const ready = (started: Started) => () => (started.output.join("").includes("Weft is running at http://localhost:") ? true : undefined);
  const serving = async () => {
    try {
      return (await fetch(`${base}/api/auth/session`)).status < 500 ? true : undefined;
    } catch {
      return undefined;
    }
  };

  beforeAll(async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = npmStart(port);
    // The first run builds the app (minutes on a busy 2-core machine; later runs reuse the build).
    await until("npm start serves", ready(server), 12 * MINUTES, server);
    expect(server.output.join("")).toMatch(/Embedded PostgreSQL 17 ready on 127\.0\.0\.1:\d+/);

    const email = `start-${Date.now()}@example.com`;
    const signUp = await fetch(`${base}/api/auth/sign-up`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Start", email, password: "correct horse battery staple" }),
    });
    expect(signUp.status).toBe(201);
    headers = { cookie: signUp.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") };
    const { workspace } = await api<{ workspace: { id: string } }>("POST", "/api/v1/workspaces", { name: "Start" });
    headers["x-weft-workspace"] = workspace.id;
    const node = (id: string, type: string, config: Record<string, unknown> = {}) => ({ id, type, position: { x: 0, y: 0 }, data: { config } });
    const edge = (source: string, target: string) => ({ id: `${source}->${target}`, source, target });
    ({
      flow: { id: flowId },
    } = await api<{ flow: { id: string } }>("POST", "/api/v1/flows", {
      name: "wait then double",
      nodes: [node("in", "source"), node("wait", "delay", { ms: 2500 }), node("double", "function", { code: "return input.n * 2;" }), node("out", "sink")],
      edges: [edge("in", "wait"), edge("wait", "double"), edge("double", "out")],
    }));
  }, 15 * MINUTES);

  afterAll(async () => {
    for (const child of children) {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // that group is gone already
      }
    }
    const pg = runningEmbedded(dataDir);
    if (pg) process.kill(pg.postmasterPid, "SIGINT");
    await new Promise((r) => setTimeout(r, 500));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("refuses a second npm start on the same data folder, naming the first", async () => {
    const second = run(["scripts/start.mjs"], { PORT: String(await freePort()) });
    expect(await second.exited).toBe(1);
    expect(second.output.join("")).toContain(`${path.join(dataDir, "pg")} is already run by \`npm start\` (pid ${server.child.pid})`);
    expect(await serving()).toBe(true);
  }, 5 * MINUTES);

  it("apps/worker on the same data folder joins the embedded database and runs some of the work", async () => {
    const worker = run(["--import", "tsx", "apps/worker/src/main.ts"], {});
    const owner = await until(
      "the worker runs",
      () => /\[weft-worker\] (\S+) is running on embedded PostgreSQL/.exec(worker.output.join(""))?.[1],
      2 * MINUTES,
      worker,
    );
    // More runs than the web process takes at once (50): the rest wait for any engine.
    const ids = await Promise.all(Array.from({ length: 70 }, (_, n) => execute({ n })));
    const sql = postgres(runningEmbedded(dataDir)!.url, { max: 1 });
    const owners = new Set<string>();
    try {
      await until(
        "both engines hold runs",
        async () => {
          for (const row of await sql<{ owner: string }[]>`select distinct lease_owner as owner from flow_executions where lease_owner is not null`) owners.add(row.owner);
          return owners.has(owner) && owners.size >= 2 ? true : undefined;
        },
        3 * MINUTES,
      );
    } finally {
      await sql.end();
    }
    const outputs = await until(
      "all runs complete",
      async () => {
        const rows = await Promise.all(ids.map(status));
        return rows.every((r) => r.status === "completed") ? rows.map((r) => r.output) : undefined;
      },
      5 * MINUTES,
    );
    expect(outputs).toEqual(ids.map((_, n) => n * 2));
    process.kill(worker.child.pid!, "SIGTERM");
    expect(await worker.exited).toBe(0);
  }, 10 * MINUTES);

  it("kill -9 of the whole npm start process group mid-run, then npm start again: the run completes, no manual step", async () => {
    const id = await execute({ n: 21 });
    await until("the delay runs", async () => ((await status(id)).status === "running" ? true : undefined), MINUTES);
    process.kill(-server.child.pid!, "SIGKILL");
    await server.exited;
    server = npmStart(port);
    await until("npm start serves again", ready(server), 5 * MINUTES, server);
    const done = await until(
      "the run completes",
      async () => {
        const row = await status(id);
        return ["completed", "failed", "cancelled"].includes(row.status) ? row : undefined;
      },
      3 * MINUTES,
    );
    expect(done).toMatchObject({ status: "completed", output: 42 });
  }, 10 * MINUTES);

  it("when the embedded server dies under the app, npm start exits non-zero with its last log lines; the next start recovers", async () => {
    const pg = runningEmbedded(dataDir)!;
    expect(pg.owner).toBe("npm start");
    process.kill(pg.postmasterPid, "SIGKILL");
    expect(await server.exited).toBe(1);
    const output = server.output.join("");
    expect(output).toMatch(/the embedded database stopped unexpectedly \(SIGKILL\); stopping Weft/);
    expect(output).toMatch(/Its last log lines .*pg\.log/);
    await until("next-server stopped", async () => ((await serving()) ? undefined : true), MINUTES);

    server = npmStart(port);
    await until("npm start serves again", ready(server), 5 * MINUTES, server);
    expect((await api<{ items: { id: string }[] }>("GET", "/api/v1/flows")).items.map((f) => f.id)).toEqual([flowId]);

    const postmaster = runningEmbedded(dataDir)!.postmasterPid;
    process.kill(-server.child.pid!, "SIGTERM"); // Ctrl-C: web server first, then the database
    expect(await server.exited).toBe(0);
    expect(alive(postmaster)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, "pg.json"))).toBe(false);
  }, 10 * MINUTES);
});
