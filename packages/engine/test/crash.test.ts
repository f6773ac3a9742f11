import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@weft/db/testing";
import { createTestEngine } from "../src/testing";

/**
 * A worker is SIGKILLed while node 3 (an HTTP call) is in flight; another process resumes the run.
 * Nodes 1-2 are not re-run, node 3 is re-sent with the same Idempotency-Key, the run completes, and
 * the event log stays contiguous with no duplicate index.
 */
describe("crash recovery", () => {
  let server: http.Server;
  let sinkUrl: string;
  const requests: Array<{ key: string | undefined; body: string }> = [];
  let holdFirst = true;
  let firstArrived: () => void;
  const arrived = new Promise<void>((resolve) => (firstArrived = resolve));
  let database: TestDatabase;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        requests.push({ key: req.headers["idempotency-key"] as string | undefined, body });
        if (holdFirst) {
          holdFirst = false;
          firstArrived();
          return; // never answered: the worker dies waiting
        }
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ stored: JSON.parse(body) }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    sinkUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    database = await createTestDatabase();
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await database?.close();
  });

  it("resumes at the exact step after SIGKILL", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "crash-child.ts")], {
      env: {
        ...process.env,
        CRASH_SINK_URL: sinkUrl,
        CRASH_DATABASE_URL: database.url,
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const executionId = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
        const line = out.split("\n").find((l) => l.startsWith("{"));
        if (line) resolve((JSON.parse(line) as { executionId: string }).executionId);
      });
      child.on("exit", (code) => reject(new Error(`child exited early with ${code}`)));
    });
    await arrived; // node 3 is in flight in the child
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));

    const t = await createTestEngine(database, { owner: "rescuer", leaseMs: 2_000 });
    try {
      const before = await t.store.load(executionId);
      expect(before?.execution.status).toBe("running");
      expect(before?.blocks.find((b) => b.nodeId === "n3")?.status).toBe("running");
      await t.engine.start(); // claims it once the dead worker's lease expires
      const done = await t.waitFor(executionId, ["completed", "failed"], 20_000);
      expect(done.execution.status).toBe("completed");
      expect(done.execution.output).toEqual({ status: 200, echoed: { stored: { value: 42 } } });

      const events = await t.store.events(executionId);
      expect(events.map((e) => e.index)).toEqual(events.map((_, i) => i));
      const starts = (id: string) => events.filter((e) => e.type === "node_start" && e.data.nodeId === id).length;
      expect([starts("n1"), starts("n2"), starts("n3"), starts("n4"), starts("n5")]).toEqual([1, 1, 2, 1, 1]);
      const attempts = Object.fromEntries(done.blocks.map((b) => [b.nodeId, b.attempt]));
      expect(attempts).toMatchObject({ n1: 1, n2: 1, n4: 1, n5: 1 });
      expect(requests).toHaveLength(2);
      expect(new Set(requests.map((r) => r.key))).toEqual(new Set([`${executionId}:n3:`]));
      expect(done.execution.leaseOwner).toBeNull();
    } finally {
      await t.engine.stop();
    }
  });
});
