import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@weft/db/testing";
import { cancelExecution, decideApproval, pauseExecution, resumeExecution, resumeFromFailure } from "../src";
import { createTestEngine, edge, node } from "../src/testing";
import { expectEventsFollowContract, seedFlow } from "./support";

let database: TestDatabase;
let t: Awaited<ReturnType<typeof createTestEngine>>;
let seed: Awaited<ReturnType<typeof seedFlow>>;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestEngine(database);
  await t.engine.start();
  seed = await seedFlow(database.db);
});
afterAll(async () => {
  await t?.engine.stop();
  await database?.close();
});

async function run(graph: { nodes: unknown[]; edges: unknown[] }, input: unknown = {}) {
  const execution = await t.store.create({ workspaceId: seed.workspaceId, flowId: seed.flowId, graph, input });
  return execution.id;
}
async function runToEnd(graph: { nodes: unknown[]; edges: unknown[] }, input: unknown = {}) {
  const id = await run(graph, input);
  const loaded = await t.waitFor(id, ["completed", "failed", "cancelled"]);
  const events = await t.store.events(id);
  return { id, ...loaded, events };
}

function expectContiguous(events: Array<{ index: number }>) {
  expect(events.map((e) => e.index)).toEqual(events.map((_, i) => i));
}

describe("engine scenarios", () => {
  it("runs source -> function -> sink and records every event in order", async () => {
    const graph = {
      nodes: [node("in", "source"), node("double", "function", { code: "console.log('doubling', input.n); return { n: input.n * 2 };" }), node("out", "sink")],
      edges: [edge("in", "double"), edge("double", "out")],
    };
    const result = await runToEnd(graph, { n: 21 });
    expect(result.execution.status).toBe("completed");
    expect(result.execution.output).toEqual({ n: 42 });
    expectContiguous(result.events);
    expect(result.events.map((e) => `${e.type}${typeof e.data.nodeId === "string" ? `:${e.data.nodeId}` : ""}`)).toEqual([
      "execution_start",
      "node_start:in",
      "node_complete:in",
      "node_start:double",
      "node_stream:double",
      "node_complete:double",
      "node_start:out",
      "node_complete:out",
      "execution_complete",
    ]);
    const log = result.events.find((e) => e.type === "node_stream");
    expect(log?.data.logs).toEqual([expect.objectContaining({ level: "log", message: "doubling 21" })]);
    expect(result.blocks.every((b) => b.status === "completed")).toBe(true);
  });

  it("routes to one branch and skips the other; the join waits only for what can still arrive", async () => {
    const graph = {
      nodes: [
        node("in", "source"),
        node("route", "router", { routes: [{ handle: "big", when: "input.n > 5" }], default: "small" }),
        node("big", "function", { code: "return 'big ' + input.input.n;" }),
        node("small", "function", { code: "return 'small ' + input.input.n;" }),
        node("out", "sink"),
      ],
      edges: [edge("in", "route"), edge("route", "big", "big"), edge("route", "small", "small"), edge("big", "out"), edge("small", "out")],
    };
    const big = await runToEnd(graph, { n: 9 });
    expect(big.execution.output).toEqual({ big: "big 9" });
    expect(big.events.filter((e) => e.type === "node_skipped").map((e) => e.data.nodeId)).toEqual(["small"]);
    const small = await runToEnd(graph, { n: 1 });
    expect(small.execution.output).toEqual({ small: "small 1" });
  });

  it("runs parallel branches at the same time and merges them keyed by node id", async () => {
    const graph = {
      nodes: [
        node("in", "source"),
        node("fan", "parallel", { merge: "all" }),
        node("a", "delay", { ms: 300 }),
        node("b", "delay", { ms: 300 }),
        node("merge", "function", { code: "return Object.keys(input).sort();" }),
        node("out", "sink"),
      ],
      edges: [edge("in", "fan"), edge("fan", "a", "a"), edge("fan", "b", "b"), edge("a", "merge"), edge("b", "merge"), edge("merge", "out")],
    };
    const started = Date.now();
    const result = await runToEnd(graph, { x: 1 });
    expect(result.execution.status).toBe("completed");
    expect(result.execution.output).toEqual(["a", "b"]);
    // Both delays ran concurrently: their node_start events come before either completes.
    const order = result.events.filter((e) => ["a", "b"].includes(String(e.data.nodeId))).map((e) => e.type);
    expect(order.slice(0, 2)).toEqual(["node_start", "node_start"]);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("merges a parallel block with merge: first as soon as the fastest branch arrives", async () => {
    const graph = {
      nodes: [
        node("in", "source"),
        node("fan", "parallel", { merge: "first" }),
        node("fast", "function", { code: "return 'fast';" }),
        node("slow", "delay", { ms: 1500 }),
        node("merge", "function", { code: "return input;" }),
        node("out", "sink"),
      ],
      edges: [edge("in", "fan"), edge("fan", "fast", "fast"), edge("fan", "slow", "slow"), edge("fast", "merge"), edge("slow", "merge"), edge("merge", "out")],
    };
    const id = await run(graph);
    // The merge node ran with the fast branch while the slow one was still waiting.
    for (let i = 0; i < 100; i++) {
      const events = await t.store.events(id);
      const merged = events.find((e) => e.type === "node_complete" && e.data.nodeId === "merge");
      if (merged) {
        expect(merged.data.output).toBe("fast");
        expect(events.some((e) => e.type === "node_complete" && e.data.nodeId === "slow")).toBe(false);
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const done = await t.waitFor(id, ["completed", "failed"]);
    expect(done.execution.status).toBe("completed");
    expect(done.execution.output).toBe("fast");
  });

  it("runs a while loop until its expression is false, each iteration seeing the previous output", async () => {
    const graph = {
      nodes: [
        node("in", "source"),
        node("again", "loop", { while: "iteration < 4", maxIterations: 10 }),
        node("step", "function", { code: "return typeof input.item === 'number' ? input.item * 2 : 1;" }),
        node("out", "sink"),
      ],
      edges: [edge("in", "again"), edge("again", "step", "body"), edge("again", "out")],
    };
    const result = await runToEnd(graph, {});
    expect(result.execution.status).toBe("completed");
    expect(result.execution.output).toEqual([1, 2, 4, 8]);
  });

  it("times a node out after its timeoutMs and retries it, then fails naming the node", async () => {
    const graph = {
      nodes: [node("in", "source"), node("slow", "delay", { ms: 5000 }, { timeoutMs: 100, retry: { maxAttempts: 2, initialDelayMs: 10 } }), node("out", "sink")],
      edges: [edge("in", "slow"), edge("slow", "out")],
    };
    const started = Date.now();
    const result = await runToEnd(graph);
    expect(result.execution.status).toBe("failed");
    expect(result.execution.error).toMatchObject({ code: "NODE_TIMEOUT", nodeId: "slow" });
    expect(result.events.filter((e) => e.type === "node_retry")).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("fails an approval nobody decided before its timeout", async () => {
    const graph = {
      nodes: [node("in", "source"), node("ok", "approval", { message: "Ship?", timeoutMs: 300 }), node("out", "sink")],
      edges: [edge("in", "ok"), edge("ok", "out")],
    };
    const id = await run(graph);
    await t.waitFor(id, ["paused"]);
    const done = await t.waitFor(id, ["failed"], 5000);
    expect(done.execution.error).toMatchObject({ code: "APPROVAL_TIMEOUT", nodeId: "ok" });
    expectContiguous(await t.store.events(id));
  });

  it("loops over an array, tagging body events with the iteration, and collects the outputs", async () => {
    const graph = {
      nodes: [
        node("in", "source"),
        node("each", "loop", { over: "{{ input.items }}", maxIterations: 10 }),
        node("times", "function", { code: "return input.item * 10 + input.index;" }),
        node("out", "sink"),
      ],
      edges: [edge("in", "each"), edge("each", "times", "body"), edge("each", "out")],
    };
    const result = await runToEnd(graph, { items: [1, 2, 3] });
    expect(result.execution.status).toBe("completed");
    expect(result.execution.output).toEqual([10, 21, 32]);
    const bodyEvents = result.events.filter((e) => e.data.nodeId === "times");
    expect(new Set(bodyEvents.map((e) => e.data.iteration))).toEqual(new Set(["0", "1", "2"]));
    expect(result.blocks.filter((b) => b.nodeId === "times").map((b) => b.iteration).sort()).toEqual(["0", "1", "2"]);
  });

  it("fails a loop that exceeds maxIterations with a message naming the limit", async () => {
    const graph = {
      nodes: [node("in", "source"), node("each", "loop", { over: "{{ input.items }}", maxIterations: 2 }), node("noop", "function", { code: "return 1" }), node("out", "sink")],
      edges: [edge("in", "each"), edge("each", "noop", "body"), edge("each", "out")],
    };
    const result = await runToEnd(graph, { items: [1, 2, 3] });
    expect(result.execution.status).toBe("failed");
    expect(result.execution.error).toMatchObject({ code: "LOOP_LIMIT", nodeId: "each" });
    expect(result.execution.error?.message).toContain("maxIterations limit of 2");
  });

  it("fails when user code throws, naming the node, and never runs what comes after", async () => {
    const graph = {
      nodes: [node("in", "source"), node("boom", "function", { code: "throw new Error('bad input')" }), node("out", "sink")],
      edges: [edge("in", "boom"), edge("boom", "out")],
    };
    const result = await runToEnd(graph);
    expect(result.execution.status).toBe("failed");
    expect(result.execution.error).toMatchObject({ nodeId: "boom" });
    expect(result.execution.error?.message).toContain("bad input");
    expect(result.events.at(-1)?.type).toBe("execution_error");
    expect(result.blocks.find((b) => b.nodeId === "out")).toBeUndefined();
  });

  it("continues a failed execution from the failed node after the flow is fixed, reusing completed outputs", async () => {
    const broken = {
      nodes: [
        node("in", "source"),
        node("prep", "function", { code: "return { n: input.n + 1, at: Math.random() };" }),
        node("boom", "function", { code: "throw new Error('typo in the code')" }),
        node("out", "sink"),
      ],
      edges: [edge("in", "prep"), edge("prep", "boom"), edge("boom", "out")],
    };
    const failed = await runToEnd(broken, { n: 1 });
    expect(failed.execution.status).toBe("failed");
    const prepOutput = failed.blocks.find((b) => b.nodeId === "prep")?.output;
    const fixed = { ...broken, nodes: broken.nodes.map((n) => (n.id === "boom" ? node("boom", "function", { code: "return { prep: input, ok: true };" }) : n)) };
    await expect(resumeFromFailure(t.store, { executionId: failed.id, graph: fixed })).resolves.toEqual({ fromNodeId: "boom" });
    const done = await t.waitFor(failed.id, ["completed", "failed"]);
    expect(done.execution.status).toBe("completed");
    // prep was not re-run: the fixed node got its original output (with the same random value).
    expect(done.execution.output).toEqual({ prep: prepOutput, ok: true });
    const events = await t.store.events(failed.id);
    expect(events.filter((e) => e.type === "node_start" && e.data.nodeId === "prep")).toHaveLength(1);
    expect(events.map((e) => e.index)).toEqual(events.map((_, i) => i));
    await expect(resumeFromFailure(t.store, { executionId: failed.id, graph: fixed })).rejects.toThrow(/completed/);
  });

  it("validates the run input against the source's inputSchema", async () => {
    const graph = {
      nodes: [node("in", "source", { inputSchema: { type: "object", properties: { email: { type: "string", format: "email" } }, required: ["email"] } }), node("out", "sink")],
      edges: [edge("in", "out")],
    };
    const result = await runToEnd(graph, { email: "nope" });
    expect(result.execution.status).toBe("failed");
    expect(result.execution.error?.message).toContain("email");
  });

  describe("with a local HTTP server", () => {
    let server: http.Server;
    let url: string;
    const requests: Array<{ key: string | undefined; path: string }> = [];
    let failuresLeft = 0;
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        requests.push({ key: req.headers["idempotency-key"] as string | undefined, path: req.url ?? "" });
        if (req.url?.startsWith("/flaky") && failuresLeft > 0) {
          failuresLeft--;
          res.writeHead(503, { "retry-after": "0" }).end("busy");
          return;
        }
        if (req.url?.startsWith("/bad")) return void res.writeHead(400).end("bad");
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, path: req.url }));
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it("retries a 503 with backoff, sending the same Idempotency-Key, then succeeds", async () => {
      failuresLeft = 2;
      requests.length = 0;
      const graph = {
        nodes: [
          node("in", "source"),
          node("call", "http", { method: "POST", url: `${url}/flaky/{{ input.id }}`, body: { id: "{{ input.id }}" } }, { retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 50 } }),
          node("out", "sink", { value: "{{ nodes.call.output.body }}" }),
        ],
        edges: [edge("in", "call"), edge("call", "out")],
      };
      const result = await runToEnd(graph, { id: "x1" });
      expect(result.execution.status).toBe("completed");
      expect(result.execution.output).toEqual({ ok: true, path: "/flaky/x1" });
      expect(result.events.filter((e) => e.type === "node_retry")).toHaveLength(2);
      expect(requests).toHaveLength(3);
      expect(new Set(requests.map((r) => r.key))).toEqual(new Set([`${result.id}:call:`]));
      expect(result.blocks.find((b) => b.nodeId === "call")?.attempt).toBe(3);
    });

    it("fails fast on a 4xx without retrying", async () => {
      requests.length = 0;
      const graph = {
        nodes: [node("in", "source"), node("call", "http", { url: `${url}/bad` }, { retry: { maxAttempts: 5, initialDelayMs: 10 } }), node("out", "sink")],
        edges: [edge("in", "call"), edge("call", "out")],
      };
      const result = await runToEnd(graph);
      expect(result.execution.status).toBe("failed");
      expect(result.execution.error).toMatchObject({ code: "HTTP_STATUS", nodeId: "call" });
      expect(requests).toHaveLength(1);
    });

    it("a network failure names the method and the host it called (not the whole URL)", async () => {
      const graph = {
        nodes: [node("in", "source"), node("call", "http", { method: "POST", url: "http://127.0.0.1:1/hook?token=abc" }), node("out", "sink")],
        edges: [edge("in", "call"), edge("call", "out")],
      };
      const result = await runToEnd(graph);
      expect(result.execution.status).toBe("failed");
      const error = result.execution.error as { message: string };
      expect(error.message).toMatch(/^POST 127\.0\.0\.1:1: /);
      expect(error.message).not.toContain("token=abc");
    });
  });

  it("cancels a running execution from another process within a second", async () => {
    const graph = {
      nodes: [node("in", "source"), node("wait", "delay", { ms: 20_000 }), node("out", "sink")],
      edges: [edge("in", "wait"), edge("wait", "out")],
    };
    const id = await run(graph);
    await t.waitFor(id, ["running"]);
    for (let i = 0; i < 100; i++) {
      const events = await t.store.events(id);
      if (events.some((e) => e.type === "node_start" && e.data.nodeId === "wait")) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const requestedAt = Date.now();
    await cancelExecution(t.store, { executionId: id, by: seed.userId });
    const done = await t.waitFor(id, ["cancelled"], 5000);
    expect(Date.now() - requestedAt).toBeLessThan(1000);
    expect(done.execution.finishedAt).not.toBeNull();
    const events = await t.store.events(id);
    expect(events.at(-1)).toMatchObject({ type: "execution_cancelled" });
    expectContiguous(events);
    await expect(cancelExecution(t.store, { executionId: id })).rejects.toThrow(/cancelled/);
  });

  it("pauses and resumes: the paused node runs again after resume", async () => {
    const graph = {
      nodes: [node("in", "source"), node("wait", "delay", { ms: 400 }), node("out", "sink")],
      edges: [edge("in", "wait"), edge("wait", "out")],
    };
    const id = await run(graph);
    await t.waitFor(id, ["running"]);
    await new Promise((r) => setTimeout(r, 100));
    await pauseExecution(t.store, { executionId: id });
    await t.waitFor(id, ["paused"], 3000);
    await expect(pauseExecution(t.store, { executionId: id })).rejects.toThrow(/paused/);
    await resumeExecution(t.store, { executionId: id });
    const done = await t.waitFor(id, ["completed"]);
    const types = (await t.store.events(id)).map((e) => e.type);
    expect(types).toContain("execution_paused");
    expect(types).toContain("execution_resumed");
    expect(done.blocks.find((b) => b.nodeId === "wait")?.status).toBe("completed");
  });

  it("waits for an approval, then continues with the decision as the node's output", async () => {
    const graph = {
      nodes: [node("in", "source"), node("ok", "approval", { message: "Ship {{ input.what }}?" }), node("out", "sink")],
      edges: [edge("in", "ok"), edge("ok", "out")],
    };
    const id = await run(graph, { what: "v2" });
    await t.waitFor(id, ["paused"]);
    const paused = await t.store.events(id);
    expect(paused.find((e) => e.type === "approval_requested")?.data).toMatchObject({ nodeId: "ok", message: "Ship v2?" });
    await expect(resumeExecution(t.store, { executionId: id })).rejects.toThrow(/waits for approval ok/);
    await decideApproval(t.store, { executionId: id, approved: true, by: seed.userId, comment: "go" });
    const done = await t.waitFor(id, ["completed"]);
    expect(done.execution.output).toEqual({ approved: true, by: seed.userId, comment: "go" });
    expectContiguous(await t.store.events(id));
    await expect(decideApproval(t.store, { executionId: id, approved: false, by: null })).rejects.toThrow(/completed/);
  });
});

describe("the event contract (packages/flow)", () => {
  it("parses every event these scenarios stored, dropping nothing", async () => {
    const seen = await expectEventsFollowContract(database.db);
    // The scenarios above emit every type the engine writes today (the planned ones come later).
    expect([...seen].sort()).toEqual(
      [
        "approval_requested",
        "execution_cancelled",
        "execution_complete",
        "execution_error",
        "execution_paused",
        "execution_resumed",
        "execution_start",
        "node_complete",
        "node_error",
        "node_retry",
        "node_skipped",
        "node_start",
        "node_stream",
      ].sort(),
    );
  });
});
