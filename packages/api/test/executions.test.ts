import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, blockExecutions, count, eq, executionEvents, flowExecutions, flows, flowVersions } from "@weft/db";
import type { ExecutionStatus } from "@weft/engine";
import { createTestEngine, edge, node } from "@weft/engine/testing";
import { callerFor, createTestApi, type TestApi } from "../src/testing";
import { expectTrpcError, fieldOf, restClient, signUpUser, type ErrorBody, type SignedUpUser } from "./support";

/**
 * Executions through tRPC and REST, with a REAL engine running on the same database: start (published
 * version pinned, graph and input validated), list/byId/events, the actions (cancel, pause, resume,
 * approve, reject, retry, resume-from-failed-node), roles and tenancy.
 */

type Graph = { nodes: unknown[]; edges: unknown[] };
type Caller = ReturnType<typeof callerFor>;
type Started = { executionId: string; status: string; streamUrl: string };

let api: TestApi;
let t: Awaited<ReturnType<typeof createTestEngine>>;
let rest: ReturnType<typeof restClient>;
let ownerA: SignedUpUser;
let viewerA: SignedUpUser;
let ownerB: SignedUpUser;
let wsA: string;
let wsB: string;
let keyA: string;
let keyB: string;
const as = (who: SignedUpUser): Caller => callerFor(api.deps, who.user);
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

const doubler = (code = "return { n: input.n * 2 };"): Graph => ({
  nodes: [
    node("in", "source", { inputSchema: { type: "object", required: ["n"], properties: { n: { type: "integer" } } } }),
    node("calc", "function", { code }),
    node("out", "sink"),
  ],
  edges: [edge("in", "calc"), edge("calc", "out")],
});
const delayFlow = (ms: number): Graph => ({
  nodes: [node("in", "source"), node("wait", "delay", { ms }), node("out", "sink")],
  edges: [edge("in", "wait"), edge("wait", "out")],
});
const approvalFlow: Graph = {
  nodes: [node("in", "source"), node("ok", "approval", { message: "Ship it?" }), node("out", "sink")],
  edges: [edge("in", "ok"), edge("ok", "out")],
};
const failingFlow = (code: string): Graph => ({
  nodes: [node("in", "source"), node("a", "function", { code: "return { n: input.n + 1 };" }), node("b", "function", { code }), node("out", "sink")],
  edges: [edge("in", "a"), edge("a", "b"), edge("b", "out")],
});

/** The flows service is written elsewhere: flows are rows inserted directly. */
async function insertFlow(workspaceId: string, name: string, graph: Graph): Promise<string> {
  const [row] = await api.deps.db.insert(flows).values({ workspaceId, name, nodes: graph.nodes, edges: graph.edges }).returning({ id: flows.id });
  return row!.id;
}
async function setDraft(flowId: string, graph: Graph) {
  await api.deps.db.update(flows).set({ nodes: graph.nodes, edges: graph.edges }).where(eq(flows.id, flowId));
}
async function executionCount(workspaceId: string) {
  const [row] = await api.deps.db.select({ n: count() }).from(flowExecutions).where(eq(flowExecutions.workspaceId, workspaceId));
  return row!.n;
}

const waitFor = (executionId: string, statuses: ExecutionStatus[]) => t.waitFor(executionId, statuses);
/** Polls until an event of `type` (for `nodeId`) is in the log: the engine has reached that point. */
async function waitForEvent(executionId: string, type: string, nodeId?: string) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const events = await t.store.events(executionId);
    if (events.some((e) => e.type === type && (nodeId === undefined || e.data.nodeId === nodeId))) return events;
    if (Date.now() > deadline) throw new Error(`no ${type} event for ${executionId}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  api = await createTestApi();
  t = await createTestEngine(api.database);
  await t.engine.start();
  const client = restClient(api);
  // Like fetch, a POST without a body says `content-length: 0` (the app refuses other bodies that are not JSON).
  rest = (method, path, call = {}) =>
    client(method, path, call.body === undefined && method === "POST" ? { ...call, headers: { "content-length": "0", ...call.headers } } : call);
  [ownerA, viewerA, ownerB] = [await signUpUser(api, "ExecOwnerA"), await signUpUser(api, "ExecViewerA"), await signUpUser(api, "ExecOwnerB")];
  wsA = (await as(ownerA).workspaces.create({ name: "Runs Alpha" })).id;
  wsB = (await as(ownerB).workspaces.create({ name: "Runs Beta" })).id;
  await as(ownerA).members.invite({ workspaceId: wsA, email: viewerA.user.email, role: "viewer" });
  const a = await rest<{ key: string }>("POST", `/api/v1/workspaces/${wsA}/api-keys`, { headers: { cookie: ownerA.cookie }, body: { name: "a", role: "member" } });
  const b = await rest<{ key: string }>("POST", `/api/v1/workspaces/${wsB}/api-keys`, { headers: { cookie: ownerB.cookie }, body: { name: "b", role: "admin" } });
  expect(a.status).toBe(201);
  expect(b.status).toBe(201);
  keyA = a.body.key;
  keyB = b.body.key;
});
afterAll(async () => {
  await t?.engine.stop();
  await api?.close();
});

describe("start", () => {
  it("REST with an API key: 202, the run completes with its output (polled through byId)", async () => {
    const flowId = await insertFlow(wsA, "Doubler", doubler());
    const started = await rest<Started>("POST", `/api/v1/flows/${flowId}/execute`, { headers: bearer(keyA), body: { input: { n: 21 } } });
    expect(started.status, started.text).toBe(202);
    const { executionId } = started.body;
    expect(started.body).toEqual({ executionId, status: "pending", streamUrl: `/api/v1/executions/${executionId}/stream` });

    let detail: { status: string; output: unknown; triggerType: string; flowName: string; blocks: Array<{ nodeId: string; status: string }> } | undefined;
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 25))) {
      const answer = await rest<NonNullable<typeof detail>>("GET", `/api/v1/executions/${executionId}`, { headers: bearer(keyA) });
      expect(answer.status).toBe(200);
      detail = answer.body;
      if (detail.status === "completed" || detail.status === "failed") break;
    }
    expect(detail).toMatchObject({ status: "completed", output: { n: 42 }, triggerType: "api", flowName: "Doubler" });
    expect(detail!.blocks.map((b) => [b.nodeId, b.status]).sort()).toEqual([["calc", "completed"], ["in", "completed"], ["out", "completed"]]);

    // Through tRPC the trigger is `manual` and the creator is recorded.
    const viaTrpc = await as(ownerA).executions.start({ workspaceId: wsA, flowId, input: { n: 2 } });
    const done = await waitFor(viaTrpc.executionId, ["completed", "failed"]);
    expect(done.execution).toMatchObject({ status: "completed", output: { n: 4 }, triggerType: "manual", createdBy: ownerA.user.id });
  });

  it("input invalid against the inputSchema: 400 naming the field, no execution row", async () => {
    const flowId = await insertFlow(wsA, "Strict input", doubler());
    const before = await executionCount(wsA);
    const wrongType = await rest<ErrorBody>("POST", `/api/v1/flows/${flowId}/execute`, { headers: bearer(keyA), body: { input: { n: "many" } } });
    expect(wrongType.status, wrongType.text).toBe(400);
    expect(wrongType.body.error).toMatchObject({ code: "BAD_REQUEST", path: "input.n" });
    expect(wrongType.body.error.message).toContain("input.n");
    const missing = await rest<ErrorBody>("POST", `/api/v1/flows/${flowId}/execute`, { headers: bearer(keyA), body: {} });
    expect(missing.status, missing.text).toBe(400);
    expect(missing.body.error.path).toBe("input.n");
    expect(missing.body.error.message).toContain("input.n");
    const error = await expectTrpcError(as(ownerA).executions.start({ workspaceId: wsA, flowId, input: { n: 1.5 } }), "BAD_REQUEST");
    expect(error.message).toContain("input.n");
    expect(await executionCount(wsA)).toBe(before);
  });

  it("an invalid graph: 400 listing its problems, no execution row", async () => {
    const flowId = await insertFlow(wsA, "Broken", {
      nodes: [node("in", "source"), node("calc", "function", { code: "" }), node("stray", "delay", { ms: 1 })],
      edges: [edge("in", "calc")],
    });
    const before = await executionCount(wsA);
    const answer = await rest<ErrorBody>("POST", `/api/v1/flows/${flowId}/execute`, { headers: bearer(keyA), body: { input: {} } });
    expect(answer.status, answer.text).toBe(400);
    expect(answer.body.error.code).toBe("BAD_REQUEST");
    // Several problems in one message: the missing sink, the empty code, the unreachable node.
    expect(answer.body.error.message).toMatch(/sink/i);
    expect(answer.body.error.message).toContain("calc");
    expect(answer.body.error.message).toContain("stray");
    await expectTrpcError(as(ownerA).executions.start({ workspaceId: wsA, flowId }), "BAD_REQUEST");
    expect(await executionCount(wsA)).toBe(before);
  });

  it("runs the published version, pinned, even after the draft changed; `version` picks one; an unknown version is 404", async () => {
    const flowId = await insertFlow(wsA, "Published", doubler());
    const [v1] = await api.deps.db
      .insert(flowVersions)
      .values({ workspaceId: wsA, flowId, version: 1, nodes: doubler().nodes, edges: doubler().edges })
      .returning({ id: flowVersions.id });
    await api.deps.db.update(flows).set({ publishedVersion: 1, version: 2 }).where(eq(flows.id, flowId));
    await setDraft(flowId, doubler("return { n: input.n * 3 };"));

    const run = await as(ownerA).executions.start({ workspaceId: wsA, flowId, input: { n: 5 } });
    const done = await waitFor(run.executionId, ["completed", "failed"]);
    expect(done.execution).toMatchObject({ status: "completed", output: { n: 10 }, flowVersionId: v1!.id });
    expect(done.execution.graph).toEqual(doubler());

    const pinned = await rest<Started>("POST", `/api/v1/flows/${flowId}/execute`, { headers: bearer(keyA), body: { input: { n: 1 }, version: 1 } });
    expect(pinned.status).toBe(202);
    expect((await waitFor(pinned.body.executionId, ["completed", "failed"])).execution.output).toEqual({ n: 2 });

    const before = await executionCount(wsA);
    const missing = await rest<ErrorBody>("POST", `/api/v1/flows/${flowId}/execute`, { headers: bearer(keyA), body: { input: { n: 1 }, version: 7 } });
    expect(missing.status, missing.text).toBe(404);
    await expectTrpcError(as(ownerA).executions.start({ workspaceId: wsA, flowId, input: { n: 1 }, version: 7 }), "NOT_FOUND");
    expect(await executionCount(wsA)).toBe(before);

    // Unpublished: the draft runs.
    await api.deps.db.update(flows).set({ publishedVersion: null }).where(eq(flows.id, flowId));
    const draft = await as(ownerA).executions.start({ workspaceId: wsA, flowId, input: { n: 5 } });
    const draftDone = await waitFor(draft.executionId, ["completed", "failed"]);
    expect(draftDone.execution).toMatchObject({ output: { n: 15 }, flowVersionId: null });
  });

  it("`draft: true` (the builder's Run) runs the draft after a publish; the default still runs the published version", async () => {
    const flowId = await insertFlow(wsA, "Edited after publish", doubler());
    await api.deps.db.insert(flowVersions).values({ workspaceId: wsA, flowId, version: 1, nodes: doubler().nodes, edges: doubler().edges });
    await api.deps.db.update(flows).set({ publishedVersion: 1, version: 2 }).where(eq(flows.id, flowId));
    await setDraft(flowId, doubler("return { n: input.n * 3 };"));

    const draft = await as(ownerA).executions.start({ workspaceId: wsA, flowId, input: { n: 5 }, draft: true });
    const draftDone = await waitFor(draft.executionId, ["completed", "failed"]);
    expect(draftDone.execution).toMatchObject({ status: "completed", output: { n: 15 }, flowVersionId: null });
    expect(draftDone.execution.graph).toEqual(doubler("return { n: input.n * 3 };"));

    // Triggers and the API: published-else-draft, as before.
    const published = await rest<Started>("POST", `/api/v1/flows/${flowId}/execute`, { headers: bearer(keyA), body: { input: { n: 5 } } });
    expect(published.status).toBe(202);
    expect((await waitFor(published.body.executionId, ["completed", "failed"])).execution.output).toEqual({ n: 10 });

    // Both at once is a contradiction: 400 naming the field, nothing started.
    const before = await executionCount(wsA);
    const both = await rest<ErrorBody>("POST", `/api/v1/flows/${flowId}/execute`, { headers: bearer(keyA), body: { input: { n: 1 }, version: 1, draft: true } });
    expect(both.status, both.text).toBe(400);
    expect(both.body.error.path).toBe("draft");
    await expectTrpcError(as(ownerA).executions.start({ workspaceId: wsA, flowId, input: { n: 1 }, version: 1, draft: true }), "BAD_REQUEST");
    // Another workspace's flow stays 404 with draft too.
    await expectTrpcError(as(ownerB).executions.start({ workspaceId: wsB, flowId, input: { n: 1 }, draft: true }), "NOT_FOUND");
    expect(await executionCount(wsA)).toBe(before);
  });

  it("a deleted flow, a malformed id or a flow that does not exist: 404 / 400", async () => {
    const flowId = await insertFlow(wsA, "Deleted", doubler());
    await api.deps.db.update(flows).set({ deletedAt: new Date() }).where(eq(flows.id, flowId));
    expect((await rest("POST", `/api/v1/flows/${flowId}/execute`, { headers: bearer(keyA), body: { input: { n: 1 } } })).status).toBe(404);
    expect((await rest("POST", `/api/v1/flows/${randomUUID()}/execute`, { headers: bearer(keyA), body: { input: { n: 1 } } })).status).toBe(404);
    const malformed = await rest<ErrorBody>("POST", "/api/v1/flows/nope/execute", { headers: bearer(keyA), body: {} });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.path).toBe("id");
  });
});

describe("list, byId and events", () => {
  let flowId: string;
  let ids: string[];

  beforeAll(async () => {
    flowId = await insertFlow(wsA, "Listed", doubler());
    ids = [];
    for (let n = 0; n < 5; n++) {
      const answer =
        n === 2
          ? (await rest<Started>("POST", `/api/v1/flows/${flowId}/execute`, { headers: bearer(keyA), body: { input: { n } } })).body
          : await as(ownerA).executions.start({ workspaceId: wsA, flowId, input: { n } });
      ids.push(answer.executionId);
      await waitFor(answer.executionId, ["completed", "failed"]);
    }
  });

  it("filters by flow, status and trigger, newest first, with a cursor", async () => {
    const a = as(ownerA);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await a.executions.list({ workspaceId: wsA, flowId, limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const first = await a.executions.list({ workspaceId: wsA, flowId, limit: 5 });
    expect(first.nextCursor).toBeNull();
    expect(first.items[0]).toMatchObject({ id: ids[4], flowId, flowName: "Listed", status: "completed", triggerType: "manual", tokens: 0, costUsd: 0 });
    expect(first.items[0]!.startedAt).toBeInstanceOf(Date);
    expect(typeof first.items[0]!.durationMs).toBe("number");

    expect((await a.executions.list({ workspaceId: wsA, flowId, triggerType: "api" })).items.map((i) => i.id)).toEqual([ids[2]]);
    expect((await a.executions.list({ workspaceId: wsA, flowId, status: "failed" })).items).toEqual([]);
    expect((await a.executions.list({ workspaceId: wsA, flowId, status: "completed" })).items).toHaveLength(5);
    expect((await a.executions.list({ workspaceId: wsA, flowId, createdFrom: new Date(Date.now() + 3_600_000) })).items).toEqual([]);
    expect((await a.executions.list({ workspaceId: wsA, flowId, createdTo: new Date(Date.now() - 3_600_000) })).items).toEqual([]);
    expect((await a.executions.list({ workspaceId: wsA, flowId, createdFrom: new Date(Date.now() - 3_600_000) })).items).toHaveLength(5);

    // REST: the same pages through the query string.
    const headers = bearer(keyA);
    const page1 = await rest<{ items: Array<{ id: string }>; nextCursor: string | null }>("GET", `/api/v1/executions?flowId=${flowId}&limit=3`, { headers });
    expect(page1.status, page1.text).toBe(200);
    expect(page1.body.items.map((i) => i.id)).toEqual([ids[4], ids[3], ids[2]]);
    const page2 = await rest<{ items: Array<{ id: string }>; nextCursor: string | null }>(
      "GET",
      `/api/v1/executions?flowId=${flowId}&limit=3&cursor=${page1.body.nextCursor}`,
      { headers },
    );
    expect(page2.body).toEqual({ items: [expect.objectContaining({ id: ids[1] }), expect.objectContaining({ id: ids[0] })], nextCursor: null });
    const api2 = await rest<{ items: Array<{ id: string }> }>("GET", `/api/v1/executions?flowId=${flowId}&triggerType=api&status=completed`, { headers });
    expect(api2.body.items.map((i) => i.id)).toEqual([ids[2]]);
    const bad = await rest<ErrorBody>("GET", "/api/v1/executions?cursor=garbage", { headers });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe("cursor");
    expect((await rest<ErrorBody>("GET", "/api/v1/executions?status=done", { headers })).body.error.path).toBe("status");
  });

  it("byId returns the blocks and metrics; a viewer reads", async () => {
    const detail = await as(viewerA).executions.byId({ workspaceId: wsA, executionId: ids[3]! });
    expect(detail).toMatchObject({ id: ids[3], status: "completed", input: { n: 3 }, output: { n: 6 }, metrics: { tokens: 0, costUsd: 0 } });
    expect(detail.blocks.map((b) => b.nodeId)).toEqual(["in", "calc", "out"]);
    expect(detail.blocks[1]).toMatchObject({ status: "completed", output: { n: 6 }, attempt: expect.any(Number) });
    expect(typeof detail.blocks[1]!.metrics.durationMs).toBe("number");
    expect(detail).not.toHaveProperty("leaseOwner");
  });

  it("events page from an index, contiguous, with nextIndex", async () => {
    const executionId = ids[0]!;
    const all = await t.store.events(executionId);
    expect(all.length).toBeGreaterThan(4);
    const pages: Array<{ index: number; type: string }> = [];
    let from = 0;
    for (;;) {
      const page = await rest<{ events: Array<{ index: number; type: string; data: unknown; createdAt: string }>; nextIndex: number }>(
        "GET",
        `/api/v1/executions/${executionId}/events?fromIndex=${from}&limit=3`,
        { headers: bearer(keyA) },
      );
      expect(page.status, page.text).toBe(200);
      if (page.body.events.length === 0) {
        expect(page.body.nextIndex).toBe(from);
        break;
      }
      expect(page.body.events[0]).toEqual({ index: from, type: expect.any(String), data: expect.any(Object), createdAt: expect.any(String) });
      pages.push(...page.body.events);
      expect(page.body.nextIndex).toBe(from + page.body.events.length);
      from = page.body.nextIndex;
    }
    expect(pages.map((e) => [e.index, e.type])).toEqual(all.map((e) => [e.index, e.type]));
    expect(pages.at(-1)?.type).toBe("execution_complete");

    const viaTrpc = await as(viewerA).executions.events({ workspaceId: wsA, executionId, fromIndex: 2, limit: 2 });
    expect(viaTrpc.events.map((e) => e.index)).toEqual([2, 3]);
    expect(viaTrpc.nextIndex).toBe(4);
  });
});

describe("list: search, current node and phase", () => {
  type Row = Awaited<ReturnType<Caller["executions"]["list"]>>["items"][number];
  const phased = (delayMs: number, code = "return { n: input.n + 1 };"): Graph => ({
    nodes: [
      node("in", "source", {}, { phase: "Intake" }),
      node("calc", "function", { code }, { phase: "Compute" }),
      node("wait", "delay", { ms: delayMs }, { phase: "Review" }),
      node("note", "function", { code: "return input;" }),
      node("out", "sink", {}, { phase: "Review" }),
    ],
    edges: [edge("in", "calc"), edge("calc", "wait"), edge("wait", "note"), edge("note", "out")],
  });
  const rowOf = async (flowId: string, executionId: string): Promise<Row> => {
    const { items } = await as(viewerA).executions.list({ workspaceId: wsA, flowId });
    const row = items.find((i) => i.id === executionId);
    expect(row, executionId).toBeDefined();
    return row!;
  };

  it("each row names its current node (running, else the last finished) and that node's phase from the pinned graph", async () => {
    const flowId = await insertFlow(wsA, "Phased pipeline", phased(20_000));
    const running = (await as(ownerA).executions.start({ workspaceId: wsA, flowId, input: { n: 1 } })).executionId;
    await waitForEvent(running, "node_start", "wait");
    expect(await rowOf(flowId, running)).toMatchObject({ status: "running", currentNodeId: "wait", phase: "Review", phases: ["Intake", "Compute", "Review"] });

    // A run that finished: its last node (the sink). One that failed: the failed node.
    await setDraft(flowId, phased(0));
    const completed = (await as(ownerA).executions.start({ workspaceId: wsA, flowId, input: { n: 1 } })).executionId;
    expect((await waitFor(completed, ["completed", "failed"])).execution.status).toBe("completed");
    expect(await rowOf(flowId, completed)).toMatchObject({ currentNodeId: "out", phase: "Review" });
    await setDraft(flowId, phased(0, "throw new Error('no')"));
    const failed = (await as(ownerA).executions.start({ workspaceId: wsA, flowId, input: { n: 1 } })).executionId;
    expect((await waitFor(failed, ["completed", "failed"])).execution.status).toBe("failed");
    expect(await rowOf(flowId, failed)).toMatchObject({ currentNodeId: "calc", phase: "Compute" });

    // The phase comes from the graph the run pinned, not from the flow's later edits.
    const renamed = phased(0);
    for (const n of renamed.nodes as Array<{ data: Record<string, unknown> }>) n.data.phase = "Renamed";
    await setDraft(flowId, renamed);
    expect(await rowOf(flowId, failed)).toMatchObject({ currentNodeId: "calc", phase: "Compute", phases: ["Intake", "Compute", "Review"] });

    // A current node without a phase has none; a flow without phases lists none.
    const plain = await insertFlow(wsA, "Unphased", doubler());
    const unphased = (await as(ownerA).executions.start({ workspaceId: wsA, flowId: plain, input: { n: 1 } })).executionId;
    await waitFor(unphased, ["completed", "failed"]);
    expect(await rowOf(plain, unphased)).toMatchObject({ currentNodeId: "out", phase: null, phases: [] });

    // The whole page in one list call: every row of the flow carries its own current node.
    const page = await as(ownerA).executions.list({ workspaceId: wsA, flowId });
    expect(page.items.map((i) => [i.id, i.currentNodeId])).toEqual([
      [failed, "calc"],
      [completed, "out"],
      [running, "wait"],
    ]);
    await as(ownerA).executions.cancel({ workspaceId: wsA, executionId: running });
    await waitFor(running, ["cancelled", "completed", "failed"]);
  });

  it("steps finished in the same millisecond and commit: the event log says which came last", async () => {
    const graph = { nodes: [node("in", "source", {}, { phase: "One" }), node("a", "function", {}, { phase: "Two" }), node("b", "sink")], edges: [] };
    const flowId = await insertFlow(wsA, "Same instant", graph);
    const at = new Date();
    /** A finished run whose blocks carry identical timestamps; its events complete `order`. */
    const seedRun = async (order: string[]) => {
      const [execution] = await api.deps.db
        .insert(flowExecutions)
        .values({ workspaceId: wsA, flowId, graph, status: "completed", startedAt: at, finishedAt: at, nextEventIndex: order.length * 2 })
        .returning({ id: flowExecutions.id });
      const executionId = execution!.id;
      if (order.length === 0) return executionId;
      await api.deps.db
        .insert(blockExecutions)
        .values(order.map((nodeId) => ({ workspaceId: wsA, executionId, nodeId, blockType: "function", status: "completed" as const, startedAt: at, finishedAt: at })));
      await api.deps.db.insert(executionEvents).values(
        order.flatMap((nodeId, i) => [
          { executionId, workspaceId: wsA, eventIndex: 2 * i, type: "node_start", data: { nodeId } },
          { executionId, workspaceId: wsA, eventIndex: 2 * i + 1, type: "node_complete", data: { nodeId } },
        ]),
      );
      return executionId;
    };
    const inThenA = await seedRun(["in", "a"]);
    const aThenIn = await seedRun(["a", "in"]);
    const blocksOnly = await seedRun([]);
    await api.deps.db.insert(blockExecutions).values({ workspaceId: wsA, executionId: blocksOnly, nodeId: "a", blockType: "function", status: "pending" });
    expect(await rowOf(flowId, inThenA)).toMatchObject({ currentNodeId: "a", phase: "Two", phases: ["One", "Two"] });
    expect(await rowOf(flowId, aThenIn)).toMatchObject({ currentNodeId: "in", phase: "One" });
    // Nothing started or finished yet (a pending block only): no current node.
    expect(await rowOf(flowId, blocksOnly)).toMatchObject({ currentNodeId: null, phase: null });
  });

  it("searches by execution id prefix or flow name, case-insensitive; LIKE wildcards match literally", async () => {
    const blue = await insertFlow(wsA, "Blue Whale 100%", doubler());
    const green = await insertFlow(wsA, "Green_Finch", doubler());
    const b1 = (await as(ownerA).executions.start({ workspaceId: wsA, flowId: blue, input: { n: 1 } })).executionId;
    const g1 = (await as(ownerA).executions.start({ workspaceId: wsA, flowId: green, input: { n: 1 } })).executionId;
    await waitFor(b1, ["completed", "failed"]);
    await waitFor(g1, ["completed", "failed"]);
    const a = as(ownerA);
    const ids = async (search: string) => (await a.executions.list({ workspaceId: wsA, search, limit: 100 })).items.map((i) => i.id);

    expect(await ids("blue whale")).toEqual([b1]);
    expect(await ids("  WHALE ")).toEqual([b1]);
    expect(await ids(g1.slice(0, 8))).toEqual([g1]);
    expect(await ids(g1.toUpperCase())).toEqual([g1]);
    expect(await ids("100%")).toEqual([b1]);
    expect(await ids("n_f")).toEqual([g1]);
    expect(await ids("%")).toEqual([b1]);
    expect(await ids("_")).toEqual([g1]);
    expect(await ids("no such flow")).toEqual([]);
    // Combined with the other filters.
    expect((await a.executions.list({ workspaceId: wsA, search: "whale", flowId: green })).items).toEqual([]);
    expect((await a.executions.list({ workspaceId: wsA, search: "whale", status: "completed" })).items.map((i) => i.id)).toEqual([b1]);
    // REST takes it from the query string.
    const viaRest = await rest<{ items: Array<{ id: string }> }>("GET", `/api/v1/executions?search=${encodeURIComponent("green_")}`, { headers: bearer(keyA) });
    expect(viaRest.status, viaRest.text).toBe(200);
    expect(viaRest.body.items.map((i) => i.id)).toEqual([g1]);
    // Another workspace never finds A's runs, by name or by id.
    expect((await as(ownerB).executions.list({ workspaceId: wsB, search: "whale" })).items).toEqual([]);
    expect((await as(ownerB).executions.list({ workspaceId: wsB, search: b1.slice(0, 8) })).items).toEqual([]);
  });
});

describe("actions", () => {
  it("cancels a running execution; cancelling again is 409 naming the status", async () => {
    const flowId = await insertFlow(wsA, "Slow", delayFlow(20_000));
    const { executionId } = await as(ownerA).executions.start({ workspaceId: wsA, flowId, input: {} });
    await waitForEvent(executionId, "node_start", "wait");
    const cancelled = await rest<{ executionId: string; status: string }>("POST", `/api/v1/executions/${executionId}/cancel`, { headers: bearer(keyA) });
    expect(cancelled.status, cancelled.text).toBe(200);
    const done = await waitFor(executionId, ["cancelled", "completed", "failed"]);
    expect(done.execution.status).toBe("cancelled");

    const again = await rest<ErrorBody>("POST", `/api/v1/executions/${executionId}/cancel`, { headers: bearer(keyA) });
    expect(again.status, again.text).toBe(409);
    expect(again.body.error).toMatchObject({ code: "CONFLICT" });
    expect(again.body.error.message).toContain("cancelled");
    const error = await expectTrpcError(as(ownerA).executions.cancel({ workspaceId: wsA, executionId }), "CONFLICT");
    expect(error.message).toBe(`Cannot cancel execution ${executionId}: it is cancelled`);
    await expectTrpcError(as(ownerA).executions.resume({ workspaceId: wsA, executionId }), "CONFLICT");
    await expectTrpcError(as(ownerA).executions.pause({ workspaceId: wsA, executionId }), "CONFLICT");
  });

  it("pauses and resumes a running execution, which then completes", async () => {
    const flowId = await insertFlow(wsA, "Pausable", delayFlow(1_500));
    const { executionId } = await as(ownerA).executions.start({ workspaceId: wsA, flowId, input: { x: 1 } });
    await waitForEvent(executionId, "node_start", "wait");
    const paused = await rest("POST", `/api/v1/executions/${executionId}/pause`, { headers: bearer(keyA) });
    expect(paused.status, paused.text).toBe(200);
    expect((await waitFor(executionId, ["paused", "completed", "failed"])).execution.status).toBe("paused");
    await expectTrpcError(as(ownerA).executions.pause({ workspaceId: wsA, executionId }), "CONFLICT");

    expect(await as(ownerA).executions.resume({ workspaceId: wsA, executionId })).toMatchObject({ executionId });
    const done = await waitFor(executionId, ["completed", "failed", "cancelled"]);
    expect(done.execution).toMatchObject({ status: "completed", output: { x: 1 } });
    const types = (await t.store.events(executionId)).map((e) => e.type);
    expect(types).toContain("execution_paused");
    expect(types).toContain("execution_resumed");
    expect((await rest<ErrorBody>("POST", `/api/v1/executions/${executionId}/resume`, { headers: bearer(keyA) })).status).toBe(409);
  });

  it("approves (REST, with a comment) and rejects (tRPC) an approval", async () => {
    const flowId = await insertFlow(wsA, "Approval", approvalFlow);
    const first = await as(ownerA).executions.start({ workspaceId: wsA, flowId, input: {} });
    const second = await as(ownerA).executions.start({ workspaceId: wsA, flowId, input: {} });
    await waitFor(first.executionId, ["paused"]);
    await waitFor(second.executionId, ["paused"]);

    const approved = await rest("POST", `/api/v1/executions/${first.executionId}/approve`, {
      headers: { cookie: ownerA.cookie, "x-weft-workspace": wsA },
      body: { comment: "looks good" },
    });
    expect(approved.status, approved.text).toBe(200);
    expect((await waitFor(first.executionId, ["completed", "failed"])).execution.output).toEqual({ approved: true, by: ownerA.user.id, comment: "looks good" });

    await as(ownerA).executions.reject({ workspaceId: wsA, executionId: second.executionId });
    expect((await waitFor(second.executionId, ["completed", "failed"])).execution.output).toEqual({ approved: false, by: ownerA.user.id, comment: null });

    // Nothing waits any more.
    const late = await rest<ErrorBody>("POST", `/api/v1/executions/${first.executionId}/reject`, { headers: bearer(keyA) });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain("completed");
  });

  it("retry starts a NEW execution with the same input and the same pinned graph", async () => {
    const flowId = await insertFlow(wsA, "Retried", doubler());
    const { executionId } = await as(ownerA).executions.start({ workspaceId: wsA, flowId, input: { n: 7 } });
    await waitFor(executionId, ["completed", "failed"]);
    await setDraft(flowId, doubler("return { n: input.n * 100 };"));

    const retried = await rest<Started>("POST", `/api/v1/executions/${executionId}/retry`, { headers: bearer(keyA) });
    expect(retried.status, retried.text).toBe(202);
    expect(retried.body.executionId).not.toBe(executionId);
    expect(retried.body.streamUrl).toBe(`/api/v1/executions/${retried.body.executionId}/stream`);
    const done = await waitFor(retried.body.executionId, ["completed", "failed"]);
    expect(done.execution).toMatchObject({ status: "completed", input: { n: 7 }, output: { n: 14 }, retryOfExecutionId: executionId, triggerType: "api" });

    const viaTrpc = await as(ownerA).executions.retry({ workspaceId: wsA, executionId });
    expect((await waitFor(viaTrpc.executionId, ["completed", "failed"])).execution).toMatchObject({ output: { n: 14 }, retryOfExecutionId: executionId });

    // An execution that has not ended cannot be retried.
    const slowFlow = await insertFlow(wsA, "Slow retry", delayFlow(20_000));
    const slow = await as(ownerA).executions.start({ workspaceId: wsA, flowId: slowFlow, input: {} });
    await expectTrpcError(as(ownerA).executions.retry({ workspaceId: wsA, executionId: slow.executionId }), "CONFLICT");
    await as(ownerA).executions.cancel({ workspaceId: wsA, executionId: slow.executionId });
    await waitFor(slow.executionId, ["cancelled"]);
  });

  it("resume-from-failed-node runs the fixed draft from the failed node; earlier nodes are not re-run", async () => {
    const flowId = await insertFlow(wsA, "Fix me", failingFlow("throw new Error('boom');"));
    const { executionId } = await as(ownerA).executions.start({ workspaceId: wsA, flowId, input: { n: 1 } });
    const failed = await waitFor(executionId, ["failed", "completed"]);
    expect(failed.execution.status).toBe("failed");

    // A still-broken (invalid) draft is refused with its problems; nothing changes.
    await setDraft(flowId, failingFlow(""));
    const invalid = await rest<ErrorBody>("POST", `/api/v1/executions/${executionId}/resume-from-failed-node`, { headers: bearer(keyA) });
    expect(invalid.status, invalid.text).toBe(400);
    expect(invalid.body.error.message).toContain("b");
    expect((await t.store.load(executionId))?.execution.status).toBe("failed");

    await setDraft(flowId, failingFlow("return { n: input.n * 10 };"));
    const resumed = await rest<{ status: string }>("POST", `/api/v1/executions/${executionId}/resume-from-failed-node`, { headers: bearer(keyA) });
    expect(resumed.status, resumed.text).toBe(200);
    const done = await waitFor(executionId, ["completed", "failed"]);
    expect(done.execution).toMatchObject({ status: "completed", output: { n: 20 } });
    const events = await t.store.events(executionId);
    expect(events.filter((e) => e.type === "node_complete" && e.data.nodeId === "a")).toHaveLength(1);
    expect(events.filter((e) => e.type === "node_complete" && e.data.nodeId === "b")).toHaveLength(1);
    // The re-run is the failed node's next attempt; the failed attempt stays in the log.
    expect(events.filter((e) => e.data.nodeId === "b" && ["node_start", "node_error", "node_complete"].includes(e.type)).map((e) => [e.type, e.data.attempt ?? null])).toEqual([
      ["node_start", 1],
      ["node_error", 1],
      ["node_start", 2],
      ["node_complete", null],
    ]);
    expect(done.blocks.find((b) => b.nodeId === "b")).toMatchObject({ status: "completed", attempt: 2, error: null });

    // Only a failed execution continues.
    await expectTrpcError(as(ownerA).executions.resumeFromFailedNode({ workspaceId: wsA, executionId }), "CONFLICT");
  });
});

describe("bulk actions (the executions list's selection)", () => {
  it("cancelMany cancels the runs still going and reports the ended ones; retryMany retries ended ones as new runs", async () => {
    const slowFlow = await insertFlow(wsA, "Bulk slow", delayFlow(20_000));
    const okFlow = await insertFlow(wsA, "Bulk ok", doubler());
    const slow1 = (await as(ownerA).executions.start({ workspaceId: wsA, flowId: slowFlow, input: {} })).executionId;
    const slow2 = (await as(ownerA).executions.start({ workspaceId: wsA, flowId: slowFlow, input: {} })).executionId;
    const done = (await as(ownerA).executions.start({ workspaceId: wsA, flowId: okFlow, input: { n: 3 } })).executionId;
    await waitFor(done, ["completed"]);

    const cancelled = await as(ownerA).executions.cancelMany({ workspaceId: wsA, executionIds: [slow1, slow2, done, slow1] });
    expect(cancelled.results).toEqual([
      { executionId: slow1, ok: true, status: "cancelled" },
      { executionId: slow2, ok: true, status: "cancelled" },
      { executionId: done, ok: false, status: "completed", error: "Already completed" },
    ]);
    for (const id of [slow1, slow2]) await waitFor(id, ["cancelled"]);

    const retried = await rest<{ results: Array<{ executionId: string; ok: boolean; retryExecutionId?: string }> }>("POST", "/api/v1/executions/bulk", {
      headers: bearer(keyA),
      body: { action: "retry", executionIds: [done, slow1] },
    });
    expect(retried.status, retried.text).toBe(200);
    expect(retried.body.results.map((r) => [r.executionId, r.ok])).toEqual([
      [done, true],
      [slow1, true],
    ]);
    const again = await waitFor(retried.body.results[0]!.retryExecutionId!, ["completed", "failed"]);
    expect(again.execution).toMatchObject({ status: "completed", output: { n: 6 }, retryOfExecutionId: done });
    await as(ownerA).executions.cancel({ workspaceId: wsA, executionId: retried.body.results[1]!.retryExecutionId! });
  });

  it("deleteMany deletes ended runs with their steps and events; a run still going is a 409 and nothing is deleted", async () => {
    const okFlow = await insertFlow(wsA, "Bulk delete", doubler());
    const slowFlow = await insertFlow(wsA, "Bulk delete slow", delayFlow(20_000));
    const a = (await as(ownerA).executions.start({ workspaceId: wsA, flowId: okFlow, input: { n: 1 } })).executionId;
    const b = (await as(ownerA).executions.start({ workspaceId: wsA, flowId: okFlow, input: { n: 2 } })).executionId;
    const running = (await as(ownerA).executions.start({ workspaceId: wsA, flowId: slowFlow, input: {} })).executionId;
    await waitFor(a, ["completed"]);
    await waitFor(b, ["completed"]);
    await waitForEvent(running, "node_start", "wait");

    const refused = await rest<ErrorBody>("POST", "/api/v1/executions/bulk", { headers: bearer(keyA), body: { action: "delete", executionIds: [a, running] } });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error.message).toContain(running.slice(0, 8));
    expect(refused.body.error.message).toContain("running");
    const single = await rest<ErrorBody>("DELETE", `/api/v1/executions/${running}`, { headers: bearer(keyA) });
    expect(single.status, single.text).toBe(409);
    expect((await t.store.load(a))?.execution.status).toBe("completed");

    expect(await as(ownerA).executions.deleteMany({ workspaceId: wsA, executionIds: [a, b] })).toEqual({ deleted: [a, b] });
    for (const id of [a, b]) {
      expect(await t.store.load(id)).toBeNull();
      expect(await t.store.events(id)).toEqual([]);
      const [blocks] = await api.deps.db.select({ n: count() }).from(blockExecutions).where(eq(blockExecutions.executionId, id));
      expect(blocks!.n).toBe(0);
    }
    await expectTrpcError(as(ownerA).executions.byId({ workspaceId: wsA, executionId: a }), "NOT_FOUND");
    await as(ownerA).executions.cancel({ workspaceId: wsA, executionId: running });
    await waitFor(running, ["cancelled"]);
    const gone = await rest<{ deleted: string[] }>("DELETE", `/api/v1/executions/${running}`, { headers: bearer(keyA) });
    expect([gone.status, gone.body.deleted]).toEqual([200, [running]]);
  });

  it("an empty or oversized selection is a 400 naming executionIds", async () => {
    for (const executionIds of [[], Array.from({ length: 101 }, () => randomUUID())]) {
      const error = await expectTrpcError(as(ownerA).executions.deleteMany({ workspaceId: wsA, executionIds }), "BAD_REQUEST");
      expect(fieldOf(error)).toBe("executionIds");
    }
  });
});

describe("roles and tenancy", () => {
  let flowId: string;
  let waiting: string;
  let failed: string;

  beforeAll(async () => {
    flowId = await insertFlow(wsA, "Guarded", approvalFlow);
    waiting = (await as(ownerA).executions.start({ workspaceId: wsA, flowId, input: { secret: "alpha-only" } })).executionId;
    await waitFor(waiting, ["paused"]);
    const failing = await insertFlow(wsA, "Guarded failing", failingFlow("throw new Error('boom');"));
    failed = (await as(ownerA).executions.start({ workspaceId: wsA, flowId: failing, input: { n: 1 } })).executionId;
    await waitFor(failed, ["failed"]);
  });

  /** Every execution row, block row and event count of workspace A. */
  async function snapshotA() {
    const db = api.deps.db;
    return {
      executions: await db.select().from(flowExecutions).where(eq(flowExecutions.workspaceId, wsA)).orderBy(asc(flowExecutions.id)),
      blocks: await db.select().from(blockExecutions).where(eq(blockExecutions.workspaceId, wsA)).orderBy(asc(blockExecutions.id)),
      events: await db.select({ n: count() }).from(executionEvents).where(and(eq(executionEvents.workspaceId, wsA))),
    };
  }
  async function withoutChangingA(call: () => Promise<void>) {
    const before = await snapshotA();
    await call();
    expect(await snapshotA()).toEqual(before);
  }

  const trpcCalls = (ws: () => string): Array<[string, (c: Caller) => Promise<unknown>]> => [
    ["start", (c) => c.executions.start({ workspaceId: ws(), flowId, input: {} })],
    ["byId", (c) => c.executions.byId({ workspaceId: ws(), executionId: waiting })],
    ["events", (c) => c.executions.events({ workspaceId: ws(), executionId: waiting })],
    ["cancel", (c) => c.executions.cancel({ workspaceId: ws(), executionId: waiting })],
    ["pause", (c) => c.executions.pause({ workspaceId: ws(), executionId: waiting })],
    ["resume", (c) => c.executions.resume({ workspaceId: ws(), executionId: waiting })],
    ["approve", (c) => c.executions.approve({ workspaceId: ws(), executionId: waiting, comment: "hijack" })],
    ["reject", (c) => c.executions.reject({ workspaceId: ws(), executionId: waiting })],
    ["retry", (c) => c.executions.retry({ workspaceId: ws(), executionId: failed })],
    ["resumeFromFailedNode", (c) => c.executions.resumeFromFailedNode({ workspaceId: ws(), executionId: failed })],
    ["cancelMany", (c) => c.executions.cancelMany({ workspaceId: ws(), executionIds: [waiting] })],
    ["retryMany", (c) => c.executions.retryMany({ workspaceId: ws(), executionIds: [failed] })],
    ["deleteMany", (c) => c.executions.deleteMany({ workspaceId: ws(), executionIds: [failed] })],
  ];

  it.each(trpcCalls(() => wsA).map(([name, call]) => [`${name}(workspace A)`, call] as const))("B's owner, tRPC %s -> NOT_FOUND, nothing changed", async (_name, call) => {
    await withoutChangingA(async () => {
      const error = await expectTrpcError(call(as(ownerB)), "NOT_FOUND");
      expect(error.message).not.toContain("alpha-only");
    });
  });
  it.each(trpcCalls(() => wsB).map(([name, call]) => [`${name}(workspace B, A's ids)`, call] as const))("B's owner, tRPC %s -> NOT_FOUND, nothing changed", async (_name, call) => {
    await withoutChangingA(async () => {
      await expectTrpcError(call(as(ownerB)), "NOT_FOUND");
    });
  });

  it("B's lists never show A's executions, even filtered by A's flow", async () => {
    expect(await as(ownerB).executions.list({ workspaceId: wsB, flowId })).toEqual({ items: [], nextCursor: null });
    await expectTrpcError(as(ownerB).executions.list({ workspaceId: wsA }), "NOT_FOUND");
    const answer = await rest("GET", `/api/v1/executions?flowId=${flowId}`, { headers: bearer(keyB) });
    expect(answer.body).toEqual({ items: [], nextCursor: null });
  });

  const restCalls = (): Array<[string, string, unknown?]> => [
    ["POST", `/api/v1/flows/${flowId}/execute`, { input: {} }],
    ["GET", `/api/v1/executions/${waiting}`],
    ["GET", `/api/v1/executions/${waiting}/events`],
    ...["cancel", "pause", "resume", "approve", "reject"].map((a): [string, string, unknown?] => ["POST", `/api/v1/executions/${waiting}/${a}`]),
    ["POST", `/api/v1/executions/${failed}/retry`],
    ["POST", `/api/v1/executions/${failed}/resume-from-failed-node`],
    ...(["cancel", "retry", "delete"] as const).map((action): [string, string, unknown?] => ["POST", "/api/v1/executions/bulk", { action, executionIds: [waiting, failed] }]),
    ["DELETE", `/api/v1/executions/${failed}`],
  ];
  it("B's API key and B's session (even selecting A) get 404 on every route, nothing changed", { timeout: 120_000 }, async () => {
    const callers: Array<Record<string, string>> = [bearer(keyB), { ...bearer(keyB), "x-weft-workspace": wsA }, { cookie: ownerB.cookie }, { cookie: ownerB.cookie, "x-weft-workspace": wsA }];
    for (const headers of callers) {
      for (const [method, path, body] of restCalls()) {
        await withoutChangingA(async () => {
          const answer = await rest<ErrorBody>(method, path, { headers, body });
          expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(404);
          expect(answer.body.error.code).toBe("NOT_FOUND");
          expect(answer.text).not.toContain("alpha-only");
        });
      }
    }
  });

  it("a viewer reads but every action is 403 (tRPC and REST), nothing changed", { timeout: 120_000 }, async () => {
    const v = as(viewerA);
    expect(await v.executions.byId({ workspaceId: wsA, executionId: waiting })).toMatchObject({ status: "paused" });
    for (const [name, call] of trpcCalls(() => wsA).filter(([name]) => name !== "byId" && name !== "events")) {
      await withoutChangingA(async () => {
        await expectTrpcError(call(v), "FORBIDDEN").catch((e: unknown) => {
          throw new Error(`${name}: ${String(e)}`);
        });
      });
    }
    for (const [method, path, body] of restCalls().filter(([method]) => method !== "GET")) {
      await withoutChangingA(async () => {
        const answer = await rest(method, path, { headers: { cookie: viewerA.cookie, "x-weft-workspace": wsA }, body });
        expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(403);
      });
    }
  });

  it("a bulk action mixing B's own execution with one of A's is a 404 naming A's id; B's is not touched either", async () => {
    const mine = await insertFlow(wsB, "B's slow", delayFlow(20_000));
    const own = (await as(ownerB).executions.start({ workspaceId: wsB, flowId: mine, input: {} })).executionId;
    await withoutChangingA(async () => {
      for (const call of [
        () => as(ownerB).executions.cancelMany({ workspaceId: wsB, executionIds: [own, waiting] }),
        () => as(ownerB).executions.deleteMany({ workspaceId: wsB, executionIds: [own, failed] }),
        () => as(ownerB).executions.retryMany({ workspaceId: wsB, executionIds: [own, failed] }),
      ]) {
        const error = await expectTrpcError(call(), "NOT_FOUND");
        expect(fieldOf(error)).toBe("executionIds.1");
      }
    });
    expect((await as(ownerB).executions.byId({ workspaceId: wsB, executionId: own })).status).not.toBe("cancelled");
    await as(ownerB).executions.cancel({ workspaceId: wsB, executionId: own });
  });

  it("control: A's owner can act on the very same ids", async () => {
    expect(await as(ownerA).executions.approve({ workspaceId: wsA, executionId: waiting })).toMatchObject({ executionId: waiting });
    expect((await waitFor(waiting, ["completed", "failed"])).execution.status).toBe("completed");
  });
});
