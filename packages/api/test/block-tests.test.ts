import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, blockTestRuns, eq, flowExecutions, flows, flowVersions } from "@weft/db";
import type { ExecutionStatus } from "@weft/engine";
import { createTestEngine, edge, node } from "@weft/engine/testing";
import { startFakeOpenAI } from "../../engine/test/fake-openai";
import { callerFor, createTestApi, type TestApi } from "../src/testing";
import { expectRestError, expectTrpcError, restClient, signUpUser, type SignedUpUser } from "./support";

/**
 * The block test panel's API with a REAL engine and a fake OpenAI-compatible provider on 127.0.0.1:
 * tests of saved, unsaved and flow blocks, history and metrics, replay (current vs original config),
 * cancel mid-stream, block versions, `data.blockRef` resolution and pinning at publish; roles and tenancy.
 */

type Started = { testRunId: string; executionId: string; streamUrl: string };
type TestRow = {
  id: string;
  executionId: string;
  blockId: string | null;
  blockVersion: number | null;
  flowId: string | null;
  nodeId: string | null;
  replayOf: string | null;
  input: unknown;
  config: Record<string, unknown>;
  output: unknown;
  error: { code: string; message: string } | null;
  status: string;
  durationMs: number | null;
  ttftMs: number | null;
  tokensPerSecond: number | null;
  tokensIn: number | null;
  tokensOut: number | null;
  costUsd: number | null;
  createdAt: string;
  createdBy: string | null;
};

let api: TestApi;
let t: Awaited<ReturnType<typeof createTestEngine>>;
let fake: Awaited<ReturnType<typeof startFakeOpenAI>>;
let rest: ReturnType<typeof restClient>;
let ownerA: SignedUpUser;
let viewerA: SignedUpUser;
let ownerB: SignedUpUser;
let wsA: string;
let wsB: string;
let keyB: string;
const connectionId = randomUUID();
const as = (who: SignedUpUser) => callerFor(api.deps, who.user);
const headersA = () => ({ cookie: ownerA.cookie, "x-weft-workspace": wsA });
const headersViewer = () => ({ cookie: viewerA.cookie, "x-weft-workspace": wsA });
const headersB = () => ({ authorization: `Bearer ${keyB}` });

const waitFor = (executionId: string, statuses: ExecutionStatus[]) => t.waitFor(executionId, statuses);
async function waitForEvent(executionId: string, type: string) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const events = await t.store.events(executionId);
    if (events.some((e) => e.type === type)) return events;
    if (Date.now() > deadline) throw new Error(`no ${type} event for ${executionId}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function startTest(body: unknown, headers: Record<string, string> = headersA()): Promise<Started> {
  const started = await rest<Started>("POST", "/api/v1/blocks/test", { headers, body });
  expect(started.status, started.text).toBe(202);
  return started.body;
}
async function testDone(started: Started, status: ExecutionStatus = "completed"): Promise<TestRow> {
  const done = await waitFor(started.executionId, ["completed", "failed", "cancelled"]);
  expect(done.execution.status, JSON.stringify(done.execution.error)).toBe(status);
  const one = await rest<{ test: TestRow }>("GET", `/api/v1/blocks/tests/${started.testRunId}`, { headers: headersA() });
  expect(one.status, one.text).toBe(200);
  return one.body.test;
}
async function saveBlock(body: Record<string, unknown>, headers: Record<string, string> = headersA()) {
  const created = await rest<{ block: { id: string; version: number } }>("POST", "/api/v1/blocks", { headers, body });
  expect(created.status, created.text).toBe(201);
  return created.body.block;
}
async function insertFlow(workspaceId: string, name: string, graph: { nodes: unknown[]; edges: unknown[] }): Promise<string> {
  const [row] = await api.deps.db.insert(flows).values({ workspaceId, name, nodes: graph.nodes, edges: graph.edges }).returning({ id: flows.id });
  return row!.id;
}
const fn = (code: string) => ({ type: "function", config: { code } });

beforeAll(async () => {
  api = await createTestApi();
  fake = await startFakeOpenAI();
  t = await createTestEngine(api.database, {
    getConnection: async () => ({ provider: "openai_compatible", apiKey: "sk-test", baseUrl: fake.url }),
  });
  await t.engine.start();
  rest = restClient(api);
  [ownerA, viewerA, ownerB] = [await signUpUser(api, "TestOwnerA"), await signUpUser(api, "TestViewerA"), await signUpUser(api, "TestOwnerB")];
  wsA = (await as(ownerA).workspaces.create({ name: "Tests Alpha" })).id;
  wsB = (await as(ownerB).workspaces.create({ name: "Tests Beta" })).id;
  await as(ownerA).members.invite({ workspaceId: wsA, email: viewerA.user.email, role: "viewer" });
  const b = await rest<{ key: string }>("POST", `/api/v1/workspaces/${wsB}/api-keys`, { headers: { cookie: ownerB.cookie }, body: { name: "b", role: "admin" } });
  keyB = b.body.key;
});
afterAll(async () => {
  await t?.engine.stop();
  await fake?.close();
  await api?.close();
});

describe("block tests", () => {
  it("tests a saved function block: a kind=test execution with console lines, kept out of the executions list unless ?kind=test", async () => {
    const block = await saveBlock({ name: "Doubler", ...fn("console.log('doubling', input.n); return input.n * 2;") });
    const started = await startTest({ blockId: block.id, input: { n: 21 } });
    expect(started.streamUrl).toBe(`/api/v1/executions/${started.executionId}/stream`);
    const test = await testDone(started);
    expect(test).toMatchObject({ id: started.testRunId, blockId: block.id, blockVersion: 1, status: "completed", output: 42, input: { n: 21 }, error: null, createdBy: ownerA.user.id });
    expect(test.config).toMatchObject({ code: expect.stringContaining("doubling") });
    expect(test.durationMs).toEqual(expect.any(Number));

    const events = await t.store.events(started.executionId);
    const logs = events.filter((e) => e.type === "node_stream" && e.data.logs).flatMap((e) => e.data.logs as Array<{ message: string }>);
    expect(logs.map((l) => l.message)).toEqual(["doubling 21"]);
    const [row] = await api.deps.db.select({ kind: flowExecutions.kind }).from(flowExecutions).where(eq(flowExecutions.id, started.executionId));
    expect(row!.kind).toBe("test");

    const listed = await rest<{ items: Array<{ id: string }> }>("GET", "/api/v1/executions", { headers: headersA() });
    expect(listed.body.items.map((e) => e.id)).not.toContain(started.executionId);
    const tests = await rest<{ items: Array<{ id: string }> }>("GET", "/api/v1/executions?kind=test", { headers: headersA() });
    expect(tests.body.items.map((e) => e.id)).toContain(started.executionId);
    // The hidden flow the test belongs to is no flow anyone can list or open.
    const flowList = await rest<{ items: Array<{ name: string }> }>("GET", "/api/v1/flows", { headers: headersA() });
    expect(JSON.stringify(flowList.body)).not.toContain("Block tests");

    const history = await rest<{ tests: TestRow[] }>("GET", `/api/v1/blocks/tests?blockId=${block.id}`, { headers: headersViewer() });
    expect(history.status, history.text).toBe(200);
    expect(history.body.tests.map((x) => x.id)).toEqual([started.testRunId]);
  });

  it("tests an AI block: tokens stream, one tool call, and the history has TTFT, tokens/s, tokens and cost", async () => {
    fake.script([
      { toolCalls: [{ name: "weather", arguments: { city: "Paris" }, id: "call_1" }] },
      { text: "It is 21 degrees in Paris today.", chunks: 4, delayMs: 10, usage: { promptTokens: 30, completionTokens: 8 } },
    ]);
    const tools = [{ name: "weather", description: "Weather of a city", inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] }, code: "return { city: input.city, celsius: 21 };" }];
    const block = await saveBlock({ name: "Weather", type: "ai", config: { connectionId, model: "gpt-4o-mini", prompt: "Weather in {{ input.city }}?", tools } });
    const started = await startTest({ blockId: block.id, input: { city: "Paris" } });
    const test = await testDone(started);
    expect(test.output).toMatchObject({ text: "It is 21 degrees in Paris today.", toolCalls: [{ name: "weather", args: { city: "Paris" }, result: { city: "Paris", celsius: 21 }, durationMs: expect.any(Number) }] });
    expect(test.ttftMs).toEqual(expect.any(Number));
    expect(test.tokensPerSecond).toBeGreaterThan(0);
    expect(test.tokensOut).toBeGreaterThan(0);
    expect(test.tokensIn).toBeGreaterThan(0);
    expect(test.costUsd).toBeGreaterThan(0);
    const deltas = (await t.store.events(started.executionId)).filter((e) => e.type === "node_stream" && typeof e.data.delta === "string");
    expect(deltas.map((e) => e.data.delta).join("")).toBe("It is 21 degrees in Paris today.");
    // The normal SSE contract: the deltas, the node's end, and [DONE].
    const stream = await api.rest.request(started.streamUrl, { headers: headersA() });
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const sse = await stream.text();
    expect(sse).toContain('"type":"node_stream"');
    expect(sse).toContain('"toolCalls"');
    expect(sse.trimEnd().endsWith("data: [DONE]")).toBe(true);
    // The prompt was rendered from the test input.
    expect(JSON.stringify(fake.requests.at(-1)!.body)).toContain("Weather in Paris?");
  });

  it("an unknown price gives a null cost, never 0", async () => {
    fake.script([{ text: "ok" }]);
    const started = await startTest({ block: { type: "ai", config: { connectionId, model: "house-model-7b", prompt: "hi" } }, input: {} });
    const test = await testDone(started);
    expect(test.costUsd).toBeNull();
    expect(test.tokensOut).toBeGreaterThan(0);
  });

  it("cancels a test mid-stream", async () => {
    fake.script([{ text: "word ".repeat(200), chunks: 200, delayMs: 30 }]);
    const started = await startTest({ block: { type: "ai", config: { connectionId, model: "gpt-4o-mini", prompt: "Talk" } } });
    await waitForEvent(started.executionId, "node_stream");
    const cancelled = await rest("POST", `/api/v1/executions/${started.executionId}/cancel`, { headers: { ...headersA(), "content-length": "0" } });
    expect(cancelled.status, cancelled.text).toBe(200);
    const test = await testDone(started, "cancelled");
    expect(test.status).toBe("cancelled");
    const events = await t.store.events(started.executionId);
    expect(events.at(-1)!.type).toBe("execution_cancelled");
  });

  it("replays with the current config by default, or the original one", async () => {
    const block = await saveBlock({ name: "Greeter", ...fn("return 'v1 ' + input.name;") });
    const first = await testDone(await startTest({ blockId: block.id, input: { name: "Ada" } }));
    expect(first.output).toBe("v1 Ada");

    const saved = await rest<{ block: { version: number } }>("PUT", `/api/v1/blocks/${block.id}`, { headers: headersA(), body: { config: { code: "return 'v2 ' + input.name;" } } });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.block.version).toBe(2);
    const versions = await rest<{ versions: Array<{ version: number; config: { code: string } }> }>("GET", `/api/v1/blocks/${block.id}/versions`, { headers: headersViewer() });
    expect(versions.body.versions.map((v) => [v.version, v.config.code])).toEqual([
      [2, "return 'v2 ' + input.name;"],
      [1, "return 'v1 ' + input.name;"],
    ]);

    const current = await rest<Started>("POST", `/api/v1/blocks/tests/${first.id}/replay`, { headers: { ...headersA(), "content-length": "0" } });
    expect(current.status, current.text).toBe(202);
    expect(await testDone(current.body)).toMatchObject({ output: "v2 Ada", input: { name: "Ada" }, replayOf: first.id, blockVersion: 2 });
    const original = await rest<Started>("POST", `/api/v1/blocks/tests/${first.id}/replay`, { headers: headersA(), body: { config: "original" } });
    expect(original.status, original.text).toBe(202);
    expect(await testDone(original.body)).toMatchObject({ output: "v1 Ada", replayOf: first.id, blockVersion: 1 });

    // A given version is tested as it was saved.
    expect((await testDone(await startTest({ blockId: block.id, version: 1, input: { name: "Bo" } }))).output).toBe("v1 Bo");
    const history = await rest<{ tests: TestRow[] }>("GET", `/api/v1/blocks/tests?blockId=${block.id}`, { headers: headersA() });
    expect(history.body.tests.map((x) => x.output)).toEqual(["v1 Bo", "v1 Ada", "v2 Ada", "v1 Ada"]);
  });

  it("tests a node of a flow's draft (routers complete on the route they chose), with its own history", async () => {
    const flowId = await insertFlow(wsA, "Regions", {
      nodes: [
        node("in", "source"),
        node("region", "router", { routes: [{ handle: "eu", when: "input.country === 'FR'" }], default: "us" }),
        node("shout", "function", { code: "return String(input.text).toUpperCase();" }),
        node("out", "sink"),
      ],
      edges: [edge("in", "region"), edge("region", "shout", "eu"), edge("region", "out", "us"), edge("shout", "out")],
    });
    const routed = await testDone(await startTest({ flowId, nodeId: "region", input: { country: "FR" } }));
    expect(routed.output).toMatchObject({ handle: "eu" });
    const shout = await testDone(await startTest({ flowId, nodeId: "shout", input: { text: "hi" } }));
    expect(shout).toMatchObject({ output: "HI", flowId, nodeId: "shout" });
    // Unsaved edits of the builder: `block` with the node.
    const edited = await testDone(await startTest({ flowId, nodeId: "shout", block: fn("return input.text + '!';"), input: { text: "hi" } }));
    expect(edited.output).toBe("hi!");
    // Replay with the current config: the draft's node (not the edit that was tested).
    const replay = await rest<Started>("POST", `/api/v1/blocks/tests/${edited.id}/replay`, { headers: headersA(), body: {} });
    expect((await testDone(replay.body)).output).toBe("HI");

    const history = await rest<{ tests: TestRow[] }>("GET", `/api/v1/blocks/tests?flowId=${flowId}&nodeId=shout`, { headers: headersA() });
    expect(history.body.tests.map((x) => x.output)).toEqual(["HI", "hi!", "HI"]);
    const routerHistory = await rest<{ tests: TestRow[] }>("GET", `/api/v1/blocks/tests?flowId=${flowId}&nodeId=region`, { headers: headersA() });
    expect(routerHistory.body.tests).toHaveLength(1);
  });

  it("refuses bad requests naming the field", async () => {
    const none = await rest<{ error: { path: string } }>("POST", "/api/v1/blocks/test", { headers: headersA(), body: { input: {} } });
    expectRestError(none, 400, "BAD_REQUEST");
    expect(none.body.error.path).toBe("block");
    const loop = await rest<{ error: { path: string } }>("POST", "/api/v1/blocks/test", { headers: headersA(), body: { block: { type: "loop", config: { over: "{{ input }}" } } } });
    expectRestError(loop, 400, "BAD_REQUEST");
    expect(loop.body.error.path).toBe("block.type");
    const badConfig = await rest<{ error: { path: string } }>("POST", "/api/v1/blocks/test", { headers: headersA(), body: { block: { type: "http", config: { method: "GET" } } } });
    expectRestError(badConfig, 400, "BAD_REQUEST");
    expect(badConfig.body.error.path).toBe("block.config.url");
    const half = await rest<{ error: { path: string } }>("POST", "/api/v1/blocks/test", { headers: headersA(), body: { flowId: randomUUID() } });
    expect(half.body.error.path).toBe("nodeId");
    const flowId = await insertFlow(wsA, "Small", { nodes: [node("in", "source"), node("out", "sink")], edges: [edge("in", "out")] });
    const noNode = await rest<{ error: { path: string } }>("POST", "/api/v1/blocks/test", { headers: headersA(), body: { flowId, nodeId: "ghost" } });
    expectRestError(noNode, 404, "NOT_FOUND");
    expect(noNode.body.error.path).toBe("nodeId");
    const history = await rest<{ error: { path: string } }>("GET", "/api/v1/blocks/tests", { headers: headersA() });
    expectRestError(history, 400, "BAD_REQUEST");
    expect(history.body.error.path).toBe("blockId");
  });

  it("viewers read the history but start no tests; other workspaces' ids answer 404", async () => {
    const block = await saveBlock({ name: "Private", ...fn("return 1;") });
    const flowId = await insertFlow(wsA, "Private flow", { nodes: [node("in", "source"), node("f", "function", { code: "return 2;" }), node("out", "sink")], edges: [edge("in", "f"), edge("f", "out")] });
    const test = await testDone(await startTest({ blockId: block.id }));
    const count = async () => (await api.deps.db.select({ id: blockTestRuns.id }).from(blockTestRuns)).length;
    const before = await count();

    expectRestError(await rest("POST", "/api/v1/blocks/test", { headers: headersViewer(), body: { blockId: block.id } }), 403, "FORBIDDEN");
    expectRestError(await rest("POST", `/api/v1/blocks/tests/${test.id}/replay`, { headers: headersViewer(), body: {} }), 403, "FORBIDDEN");
    await expectTrpcError(as(viewerA).blocks.test({ workspaceId: wsA, blockId: block.id }), "FORBIDDEN");
    expect((await as(viewerA).blocks.tests({ workspaceId: wsA, blockId: block.id, limit: 20 })).map((x) => x.id)).toEqual([test.id]);

    for (const [method, path, body] of [
      ["POST", "/api/v1/blocks/test", { blockId: block.id }],
      ["POST", "/api/v1/blocks/test", { flowId, nodeId: "f" }],
      ["GET", `/api/v1/blocks/tests?blockId=${block.id}`, undefined],
      ["GET", `/api/v1/blocks/tests?flowId=${flowId}&nodeId=f`, undefined],
      ["GET", `/api/v1/blocks/tests/${test.id}`, undefined],
      ["POST", `/api/v1/blocks/tests/${test.id}/replay`, {}],
      ["GET", `/api/v1/blocks/${block.id}/versions`, undefined],
      ["POST", `/api/v1/executions/${test.executionId}/cancel`, {}],
    ] as const) {
      const answer = await rest(method, path, { headers: headersB(), body });
      expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(404);
    }
    expect(await count()).toBe(before);
    // B's own history of the same block id is not A's either.
    await expectTrpcError(as(ownerB).blocks.tests({ workspaceId: wsB, blockId: block.id, limit: 20 }), "NOT_FOUND");
  });
});

describe("saved blocks used by reference", () => {
  it("a node with data.blockRef runs the latest version; publishing pins the version it used", async () => {
    const block = await saveBlock({ name: "Tagger", ...fn("return 'v1:' + input.x;") });
    const flowId = await insertFlow(wsA, "Uses Tagger", {
      nodes: [node("in", "source"), node("tag", "function", { code: "return 'stale copy';" }, { blockRef: { blockId: block.id } }), node("out", "sink")],
      edges: [edge("in", "tag"), edge("tag", "out")],
    });
    const run = async (draft: boolean) => {
      const { executionId } = await as(ownerA).executions.start({ workspaceId: wsA, flowId, input: { x: "a" }, draft });
      const done = await waitFor(executionId, ["completed", "failed"]);
      expect(done.execution.status, JSON.stringify(done.execution.error)).toBe("completed");
      return done.execution.output;
    };
    expect(await run(true)).toBe("v1:a");
    const published = await rest<{ version: number }>("POST", `/api/v1/flows/${flowId}/publish`, { headers: { ...headersA(), "content-length": "0" } });
    expect(published.status, published.text).toBe(201);
    const [version] = await api.deps.db.select({ nodes: flowVersions.nodes }).from(flowVersions).where(eq(flowVersions.flowId, flowId));
    const pinned = (version!.nodes as Array<{ id: string; data: { blockRef?: unknown; config: unknown } }>).find((n) => n.id === "tag")!;
    expect(pinned.data.blockRef).toEqual({ blockId: block.id, version: 1 });
    expect(pinned.data.config).toMatchObject({ code: "return 'v1:' + input.x;" });

    await rest("PUT", `/api/v1/blocks/${block.id}`, { headers: headersA(), body: { config: { code: "return 'v2:' + input.x;" } } });
    expect(await run(false)).toBe("v1:a"); // the published version keeps version 1
    expect(await run(true)).toBe("v2:a"); // the draft follows the latest

    const listed = await rest<{ block: { usageCount: number } }>("GET", `/api/v1/blocks/${block.id}`, { headers: headersA() });
    expect(listed.body.block.usageCount).toBe(1);
    // Testing the node tests the saved block it uses.
    expect((await testDone(await startTest({ flowId, nodeId: "tag", input: { x: "t" } }))).output).toBe("v2:t");
  });

  it("validation, publish and run name the node whose saved block is missing or of another workspace", async () => {
    const theirs = await saveBlock({ name: "Theirs", ...fn("return 0;") }, headersB());
    for (const blockId of [randomUUID(), theirs.id]) {
      const flowId = await insertFlow(wsA, "Broken ref", {
        nodes: [node("in", "source"), node("ref", "function", { code: "return 1;" }, { blockRef: { blockId } }), node("out", "sink")],
        edges: [edge("in", "ref"), edge("ref", "out")],
      });
      const validated = await as(ownerA).flows.validate({ workspaceId: wsA, flowId });
      expect(validated.ok).toBe(false);
      expect(validated.problems).toEqual([expect.objectContaining({ code: "unknown_block_ref", nodeId: "ref", path: "blockRef" })]);
      const published = await rest<{ error: { path: string; message: string } }>("POST", `/api/v1/flows/${flowId}/publish`, { headers: { ...headersA(), "content-length": "0" } });
      expectRestError(published, 400, "BAD_REQUEST");
      expect(published.body.error.path).toBe("nodes.ref.data.blockRef");
      const ran = await rest<{ error: { path: string } }>("POST", `/api/v1/flows/${flowId}/execute`, { headers: headersA(), body: { input: {} } });
      expectRestError(ran, 400, "BAD_REQUEST");
      expect(ran.body.error.path).toBe("nodes.ref.data.blockRef");
      const [{ n } = { n: 0 }] = await api.deps.db.select({ n: flowExecutions.id }).from(flowExecutions).where(and(eq(flowExecutions.flowId, flowId))).then((rows) => [{ n: rows.length }]);
      expect(n).toBe(0);
    }
  });
});
