import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExecutionStore } from "@weft/engine";
import { edge, node } from "@weft/engine/testing";
import { createTestDatabase, type TestDatabase } from "@weft/db/testing";
import { seedFlow } from "../../../packages/engine/test/support";

/** Two worker processes on one Postgres run the work, and stop cleanly on SIGTERM. */
describe("apps/worker", () => {
  let database: TestDatabase;
  const workers: ChildProcess[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-worker-"));

  const startWorker = () =>
    new Promise<ChildProcess>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "main.ts")], {
        env: { ...process.env, DATABASE_URL: database.url, WEFT_DATA_DIR: dataDir },
        stdio: ["ignore", "pipe", "inherit"],
      });
      workers.push(child);
      child.stdout!.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("is running")) resolve(child);
      });
      child.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
    });

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill("SIGKILL");
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("runs executions created by another process, with two workers sharing the queue, then exits 0 on SIGTERM", async () => {
    const [a, b] = await Promise.all([startWorker(), startWorker()]);
    const store = createExecutionStore({ db: database.db });
    const graph = {
      nodes: [node("in", "source"), node("wait", "delay", { ms: 200 }), node("double", "function", { code: "return input.n * 2;" }), node("out", "sink")],
      edges: [edge("in", "wait"), edge("wait", "double"), edge("double", "out")],
    };
    const seed = await seedFlow(database.db, graph);
    const ids = await Promise.all(
      Array.from({ length: 6 }, (_, n) => store.create({ workspaceId: seed.workspaceId, flowId: seed.flowId, graph, input: { n } }).then((e) => e.id)),
    );
    const deadline = Date.now() + 20_000;
    for (;;) {
      const rows = await Promise.all(ids.map((id) => store.load(id)));
      if (rows.every((r) => r?.execution.status === "completed")) {
        expect(rows.map((r) => r?.execution.output)).toEqual([0, 2, 4, 6, 8, 10]);
        break;
      }
      if (Date.now() > deadline) throw new Error("executions did not complete");
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const w of [a, b]) w.kill("SIGTERM");
    const codes = await Promise.all([a, b].map((w) => new Promise((r) => w.once("exit", r))));
    expect(codes).toEqual([0, 0]);
  }, 120_000); // two child processes boot through tsx: slow on a busy machine

  it("without DATABASE_URL and with no embedded database running for its data folder, refuses to start, naming the folder", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "main.ts")], {
      env: { ...process.env, DATABASE_URL: "", WEFT_DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise((r) => child.once("exit", r));
    expect(code).toBe(1);
    expect(stderr).toContain(`No embedded database is running for ${path.join(dataDir, "pg")}`);
    expect(stderr).toMatch(/npm start/);
    expect(fs.existsSync(path.join(dataDir, "pg"))).toBe(false); // it did not start one
  }, 120_000); // two child processes boot through tsx: slow on a busy machine
});
