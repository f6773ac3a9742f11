import { flowExecutions, flows, type Db } from "@weft/db";
import { createTestEngine, edge, node } from "@weft/engine/testing";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eventHubFor } from "../src/services/executions/event-hub";
import { configureExecutionStreams } from "../src/services/executions/stream-execution";
import { callerFor, createTestApi, type TestApi } from "../src/testing";
import { restClient, signUpUser, type SignedUpUser } from "./support";

/**
 * The SSE stream of an execution (DESIGN.md section 5), read through the real REST app while a real
 * engine runs flows on the same database: format, resume points, the backlog/live race, replay of
 * finished runs, tenancy, and that a client going away leaves no listener behind.
 */

type StreamEvent = { type: string } & Record<string, unknown>;
type Sse = { kind: "retry"; ms: number } | { kind: "ping" } | { kind: "event"; index: number; event: StreamEvent } | { kind: "done" };

const decoder = new TextDecoder();

/** Reads an SSE body message by message; `raw` keeps every byte received (as text). */
class SseReader {
  raw = "";
  private buffer = "";
  private ended = false;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
  }

  /** The next message, or null when the stream has ended. */
  async next(timeoutMs = 10_000): Promise<Sse | null> {
    for (;;) {
      const message = this.shift();
      if (message) return message;
      if (this.ended) {
        expect(this.buffer, "a partial message at the end of the stream").toBe("");
        return null;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no SSE bytes for ${timeoutMs} ms; got:\n${this.raw}`)), timeoutMs))),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) this.ended = true;
      else {
        const text = decoder.decode(chunk.value, { stream: true });
        this.raw += text;
        this.buffer += text;
      }
    }
  }

  /** The next event (skipping retry and pings), [DONE], or null at the end. */
  async nextEvent(timeoutMs?: number): Promise<Extract<Sse, { kind: "event" | "done" }> | null> {
    for (;;) {
      const message = await this.next(timeoutMs);
      if (!message || message.kind === "event" || message.kind === "done") return message;
    }
  }

  /** Every event up to [DONE] (which must be followed by the end of the stream). */
  async rest(): Promise<Array<{ index: number; event: StreamEvent }>> {
    const events: Array<{ index: number; event: StreamEvent }> = [];
    for (;;) {
      const message = await this.nextEvent();
      expect(message, "the stream ended without [DONE]").not.toBeNull();
      if (message!.kind === "done") break;
      events.push(message!);
    }
    expect(await this.next()).toBeNull();
    return events;
  }

  async cancel() {
    await this.reader.cancel();
  }

  private shift(): Sse | null {
    const end = this.buffer.indexOf("\n\n");
    if (end === -1) return null;
    const block = this.buffer.slice(0, end);
    this.buffer = this.buffer.slice(end + 2);
    const lines = block.split("\n");
    if (lines.every((l) => l.startsWith(":"))) return { kind: "ping" };
    const fields = new Map<string, string>();
    for (const line of lines) {
      const colon = line.indexOf(":");
      expect(colon, `malformed SSE line ${line}`).toBeGreaterThan(0);
      fields.set(line.slice(0, colon), line.slice(colon + 1).replace(/^ /, ""));
    }
    if (fields.has("retry")) return { kind: "retry", ms: Number(fields.get("retry")) };
    const data = fields.get("data");
    if (data === "[DONE]") return { kind: "done" };
    expect(data, `an SSE message without data: ${block}`).toBeDefined();
    const parsed = JSON.parse(data!) as { index: number; event: StreamEvent };
    expect(fields.get("id"), "id: and data.index agree").toBe(String(parsed.index));
    expect(Object.keys(parsed).sort()).toEqual(["event", "index"]);
    return { kind: "event", index: parsed.index, event: parsed.event };
  }
}

/** A loop over 20 items, each waiting 30 ms: long enough to stream while it runs. */
const slowGraph = {
  nodes: [node("in", "source"), node("each", "loop", { over: "{{ input.items }}", maxIterations: 100 }), node("wait", "delay", { ms: 30 }), node("out", "sink")],
  edges: [edge("in", "each"), edge("each", "wait", "body"), edge("each", "out")],
};
const slowInput = { items: Array.from({ length: 20 }, (_, i) => i) };

async function insertFlow(db: Db, workspaceId: string) {
  const [flow] = await db.insert(flows).values({ workspaceId, name: "stream test", nodes: slowGraph.nodes, edges: slowGraph.edges }).returning();
  return flow!.id;
}

/** An execution held by a fake worker (no engine claims it): the test commits its events itself. */
async function heldExecution(api: TestApi, workspaceId: string, flowId: string) {
  const owner = `racer-${randomUUID()}`;
  const [row] = await api.deps.db
    .insert(flowExecutions)
    .values({ workspaceId, flowId, graph: { nodes: [], edges: [] }, status: "running", leaseOwner: owner, leaseExpiresAt: new Date(Date.now() + 600_000) })
    .returning();
  const id = row!.id;
  let n = 0;
  const commit = (count: number, terminal = false) =>
    api.deps.executions.commit({
      executionId: id,
      owner,
      leaseMs: 600_000,
      events: Array.from({ length: count }, (_, i) =>
        terminal && i === count - 1 ? { type: "execution_complete", output: { n: n++ } } : { type: "node_stream", nodeId: "x", delta: `d${n++}` },
      ),
    });
  return { id, commit };
}

const indexes = (events: Array<{ index: number }>) => events.map((e) => e.index);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("execution SSE stream", () => {
  let api: TestApi;
  let rest: ReturnType<typeof restClient>;
  let engine: Awaited<ReturnType<typeof createTestEngine>>;
  let ownerA: SignedUpUser;
  let ownerB: SignedUpUser;
  let wsA: string;
  let flowA: string;
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    api = await createTestApi();
    rest = restClient(api);
    ownerA = await signUpUser(api, "StreamA");
    ownerB = await signUpUser(api, "StreamB");
    wsA = (await callerFor(api.deps, ownerA.user).workspaces.create({ name: "Stream A" })).id;
    const wsB = (await callerFor(api.deps, ownerB.user).workspaces.create({ name: "Stream B" })).id;
    flowA = await insertFlow(api.deps.db, wsA);
    const key = async (who: SignedUpUser, ws: string) => {
      const res = await rest<{ key: string }>("POST", `/api/v1/workspaces/${ws}/api-keys`, { headers: { cookie: who.cookie }, body: { name: "k", role: "viewer" } });
      expect(res.status).toBe(201);
      return res.body.key;
    };
    keyA = await key(ownerA, wsA);
    keyB = await key(ownerB, wsB);
    engine = await createTestEngine(api.database);
    await engine.engine.start();
  });
  afterAll(async () => {
    await engine?.engine.stop();
    await api?.close();
  });
  beforeEach(() => configureExecutionStreams(api.deps, {}));

  const open = async (url: string, headers: Record<string, string> = { cookie: ownerA.cookie }, signal?: AbortSignal) => {
    const res = await api.rest.request(url, { headers, signal });
    return { res, sse: res.body ? new SseReader(res.body) : null };
  };
  const startRun = async () => (await api.deps.executions.create({ workspaceId: wsA, flowId: flowA, graph: slowGraph, input: slowInput })).id;
  const storedIndexes = async (id: string) => (await api.deps.executions.events(id)).map((e) => e.index);

  it("streams a running execution live: retry first, id + data per event, [DONE] after the terminal event, then closes", async () => {
    const id = await startRun();
    const { res, sse } = await open(`/api/executions/${id}/stream`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("x-accel-buffering")).toBe("no");
    expect(await sse!.next()).toEqual({ kind: "retry", ms: 2000 });
    expect(sse!.raw.startsWith("retry: 2000\n")).toBe(true);

    const first = await sse!.nextEvent();
    expect(first).toMatchObject({ kind: "event", index: 0, event: { type: "execution_start" } });
    // Live: the first event arrived while the run was still going.
    expect((await api.deps.executions.load(id))!.execution.status).not.toBe("completed");

    const events = [first as { index: number; event: StreamEvent }, ...(await sse!.rest())];
    expect(indexes(events)).toEqual(range(0, events.length - 1));
    expect(events.at(-1)!.event).toMatchObject({ type: "execution_complete", output: slowInput.items.map(() => expect.anything()) });
    expect(indexes(events)).toEqual(await storedIndexes(id));
    // Each event is the stored one: type plus its data, flattened.
    const stored = await api.deps.executions.events(id);
    expect(events.map((e) => e.event)).toEqual(stored.map((e) => ({ type: e.type, ...e.data })));
    expect(sse!.raw).toMatch(/id: 3\ndata: \{"index":3,"event":\{"type":"[a-z_]+"/);
    expect(sse!.raw.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(eventHubFor(api.deps.bus).subscriberCount(id)).toBe(0);
  });

  it("resumes after a disconnect from Last-Event-ID or ?lastEventIndex: every index once, in order, then [DONE]", async () => {
    const id = await startRun();
    const abort = new AbortController();
    const { sse } = await open(`/api/v1/executions/${id}/stream`, { cookie: ownerA.cookie }, abort.signal);
    const seen: number[] = [];
    while (seen.length < 6) {
      const message = await sse!.nextEvent();
      expect(message?.kind).toBe("event");
      seen.push((message as { index: number }).index);
    }
    abort.abort();
    await sse!.cancel();
    const k = seen.at(-1)!;
    expect(seen).toEqual(range(0, k));
    // The run goes on without a reader.
    await new Promise((r) => setTimeout(r, 150));

    const viaHeader = await open(`/api/executions/${id}/stream`, { cookie: ownerA.cookie, "last-event-id": String(k) });
    const viaQuery = await open(`/api/v1/executions/${id}/stream?lastEventIndex=${k}`, { authorization: `Bearer ${keyA}` });
    const [afterHeader, afterQuery] = await Promise.all([viaHeader.sse!.rest(), viaQuery.sse!.rest()]);
    const all = await storedIndexes(id);
    expect((await api.deps.executions.load(id))!.execution.status).toBe("completed");
    expect([...seen, ...indexes(afterHeader)]).toEqual(all);
    expect([...seen, ...indexes(afterQuery)]).toEqual(all);
    expect(afterHeader[0]!.index).toBe(k + 1);
    // The header wins over the query parameter.
    const both = await open(`/api/executions/${id}/stream?lastEventIndex=1`, { cookie: ownerA.cookie, "last-event-id": String(all.length - 3) });
    expect(indexes(await both.sse!.rest())).toEqual(range(all.length - 2, all.length - 1));
  });

  it("loses and duplicates nothing when events are committed between the backlog read and the live tail (x25)", async () => {
    for (let round = 0; round < 25; round++) {
      const run = await heldExecution(api, wsA, flowA);
      await run.commit(3);
      let hooked = 0;
      let raced: Promise<unknown> = Promise.resolve();
      configureExecutionStreams(api.deps, {
        pageSize: round % 2 === 0 ? 1000 : 2,
        afterBacklogRead: async ({ executionId }) => {
          if (executionId !== run.id || hooked++ > 0) return;
          // Committed after the backlog query saw the table, before its rows are sent: only the
          // notification can bring these (nothing else is committed until the test has seen them).
          if (round % 3 === 0) await (raced = run.commit(3));
          else if (round % 3 === 1) raced = run.commit(1).then(() => run.commit(2));
          else await (raced = Promise.all([run.commit(1), run.commit(2)]));
        },
      });
      const resume = round % 4 === 0 ? 1 : -1;
      const { sse } = await open(`/api/executions/${run.id}/stream${resume >= 0 ? `?lastEventIndex=${resume}` : ""}`);
      const events: Array<{ index: number }> = [];
      while (events.at(-1)?.index !== 5) {
        const message = await sse!.nextEvent(3_000);
        expect(message?.kind, `round ${round}: ${indexes(events).join(",")}`).toBe("event");
        events.push(message as { index: number });
      }
      await raced;
      await run.commit(2);
      await run.commit(1, true);
      events.push(...(await sse!.rest()));
      const stored = await storedIndexes(run.id);
      expect(stored).toEqual(range(0, 8));
      expect(indexes(events), `round ${round}`).toEqual(range(resume + 1, 8));
      expect(hooked).toBeGreaterThan(0);
    }
    expect(eventHubFor(api.deps.bus).subscriberCount()).toBe(0);
  });

  it("replays a finished execution and closes; resuming at its end sends only [DONE]", async () => {
    const id = await startRun();
    await engine.waitFor(id, ["completed"]);
    const all = await storedIndexes(id);
    const { sse } = await open(`/api/executions/${id}/stream`);
    expect(indexes(await sse!.rest())).toEqual(all);
    const middle = await open(`/api/executions/${id}/stream`, { cookie: ownerA.cookie, "last-event-id": "10" });
    expect(indexes(await middle.sse!.rest())).toEqual(all.slice(11));
    const end = await open(`/api/v1/executions/${id}/stream?lastEventIndex=${all.at(-1)}`, { authorization: `Bearer ${keyA}` });
    expect(await end.sse!.rest()).toEqual([]);
    expect(end.sse!.raw).toBe("retry: 2000\n\ndata: [DONE]\n\n");
    expect(eventHubFor(api.deps.bus).subscriberCount()).toBe(0);
  });

  it("answers 404 with no event bytes for another workspace's execution, an unknown id and a non-uuid; 401 without credentials", async () => {
    const id = await startRun();
    await engine.waitFor(id, ["completed"]);
    const hub = eventHubFor(api.deps.bus);
    const before = hub.subscriberCount();
    const attempts: Array<[string, Record<string, string>]> = [
      [`/api/executions/${id}/stream`, { cookie: ownerB.cookie }],
      [`/api/v1/executions/${id}/stream`, { cookie: ownerB.cookie }],
      [`/api/executions/${id}/stream`, { authorization: `Bearer ${keyB}` }],
      [`/api/v1/executions/${id}/stream?workspaceId=${wsA}`, { authorization: `Bearer ${keyB}` }],
      [`/api/executions/${id}/stream`, { cookie: ownerB.cookie, "x-weft-workspace": wsA }],
      [`/api/executions/${randomUUID()}/stream`, { cookie: ownerA.cookie }],
      [`/api/v1/executions/${randomUUID()}/stream`, { authorization: `Bearer ${keyA}` }],
      [`/api/executions/not-a-uuid/stream`, { cookie: ownerA.cookie }],
      [`/api/v1/executions/not-a-uuid/stream`, { authorization: `Bearer ${keyA}` }],
    ];
    const bodies = new Set<string>();
    for (const [url, headers] of attempts) {
      const res = await rest<{ error: { code: string; message: string } }>("GET", url, { headers });
      expect(res.status, `${url} ${JSON.stringify(headers)}`).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
      expect(res.text).not.toMatch(/id:|data:|retry:/);
      bodies.add(res.text);
    }
    // Another workspace's execution and an unknown one get the same answer.
    expect(bodies.size).toBe(1);
    for (const url of [`/api/executions/${id}/stream`, `/api/v1/executions/${id}/stream`]) {
      expect((await rest("GET", url)).status).toBe(401);
      expect((await rest("GET", url, { headers: { authorization: "Bearer weft_not_a_key" } })).status).toBe(401);
    }
    expect((await rest("GET", `/api/executions/${id}/stream?lastEventIndex=abc`, { headers: { cookie: ownerA.cookie } })).status).toBe(400);
    expect(hub.subscriberCount()).toBe(before);
  });

  it("sends a comment heartbeat while nothing happens", async () => {
    configureExecutionStreams(api.deps, { heartbeatMs: 40 });
    const run = await heldExecution(api, wsA, flowA);
    const { sse } = await open(`/api/v1/executions/${run.id}/stream`, { authorization: `Bearer ${keyA}` });
    expect(await sse!.next()).toEqual({ kind: "retry", ms: 2000 });
    expect(await sse!.next(2_000)).toEqual({ kind: "ping" });
    expect(await sse!.next(2_000)).toEqual({ kind: "ping" });
    expect(sse!.raw).toContain("\n: ping\n\n");
    await run.commit(1, true);
    expect(await sse!.rest()).toEqual([{ kind: "event", index: 0, event: { type: "execution_complete", output: { n: 0 } } }]);
  });

  it("unsubscribes when the client goes away (stream cancelled or request aborted)", async () => {
    const hub = eventHubFor(api.deps.bus);
    const before = hub.subscriberCount();
    const run = await heldExecution(api, wsA, flowA);
    await run.commit(2);
    const aborts = Array.from({ length: 6 }, () => new AbortController());
    const streams = await Promise.all(aborts.map((a) => open(`/api/executions/${run.id}/stream`, { cookie: ownerA.cookie }, a.signal)));
    for (const { sse } of streams) expect(indexes([(await sse!.nextEvent()) as { index: number }])).toEqual([0]);
    expect(hub.subscriberCount(run.id)).toBe(6);
    // Half cancel their body, half abort the request.
    for (const [i, { sse }] of streams.entries()) {
      if (i % 2 === 0) await sse!.cancel();
      else aborts[i]!.abort();
    }
    await expect.poll(() => hub.subscriberCount(run.id), { timeout: 2_000 }).toBe(0);
    expect(hub.subscriberCount()).toBe(before);
    // The aborted ones end cleanly; nothing is sent after the client left.
    for (const [i, { sse }] of streams.entries()) if (i % 2 === 1) expect(await sse!.nextEvent()).toMatchObject({ index: 1 });
    await run.commit(3, true);
    const late = await open(`/api/executions/${run.id}/stream`);
    expect(indexes(await late.sse!.rest())).toEqual(range(0, 4));
    expect(hub.subscriberCount()).toBe(before);
  });
});

describe("execution SSE stream across processes", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await createTestApi();
  });
  afterAll(async () => api?.close());

  it("streams live the events an engine in another process commits", async () => {
    expect(api.database.url).toBeTruthy();
    const owner = await signUpUser(api, "Remote");
    const ws = (await callerFor(api.deps, owner.user).workspaces.create({ name: "Remote" })).id;
    const flowId = await insertFlow(api.deps.db, ws);
    const execution = await api.deps.executions.create({ workspaceId: ws, flowId, graph: slowGraph, input: slowInput });
    const res = await api.rest.request(`/api/v1/executions/${execution.id}/stream`, { headers: { cookie: owner.cookie } });
    expect(res.status).toBe(200);
    const sse = new SseReader(res.body!);
    expect(await sse.next()).toEqual({ kind: "retry", ms: 2000 });

    const child = spawn(process.execPath, ["--import", "tsx", path.join(path.dirname(fileURLToPath(import.meta.url)), "stream-child.ts")], {
      env: { ...process.env, WEFT_CHILD_DATABASE_URL: api.database.url, WEFT_CHILD_EXECUTION_ID: execution.id },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      const first = await sse.nextEvent(20_000);
      const firstAt = Date.now();
      expect(first).toMatchObject({ kind: "event", index: 0, event: { type: "execution_start" } });
      const events = [first as { index: number; event: StreamEvent }, ...(await sse.rest())];
      expect(await exited, output).toBe(0);
      expect(output).toContain("child: completed");
      const done = (await api.deps.executions.load(execution.id))!.execution;
      expect(done.status).toBe("completed");
      // Live: the first event reached this process before the other one finished the run.
      expect(firstAt).toBeLessThan(done.finishedAt!.getTime());
      expect(indexes(events)).toEqual((await api.deps.executions.events(execution.id)).map((e) => e.index));
      expect(events.at(-1)!.event.type).toBe("execution_complete");
      expect(eventHubFor(api.deps.bus).subscriberCount()).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill();
    }
  }, 60_000);
});
