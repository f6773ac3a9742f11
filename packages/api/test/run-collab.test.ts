import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, comments, count, eq, flowExecutions, flows } from "@weft/db";
import { createTestEngine, edge, node } from "@weft/engine/testing";
import { callerFor, createTestApi, type TestApi } from "../src/testing";
import { expectRestError, expectTrpcError, restClient, signUpUser, type ErrorBody, type SignedUpUser } from "./support";

/**
 * A run as a shared workspace (issue 17), through REST and tRPC with a REAL engine: comments (kinds,
 * sanitised markdown, author/admin rules, `comment_added`), step rows and logs, re-run from a step
 * (upstream steps reused and NOT called again), run names and tags; roles and tenancy on every path.
 */

type Graph = { nodes: unknown[]; edges: unknown[] };
type Comment = { id: string; kind: string; body: string; html: string; nodeId: string | null; canEdit: boolean; author: { id: string } | null };

let api: TestApi;
let t: Awaited<ReturnType<typeof createTestEngine>>;
let rest: ReturnType<typeof restClient>;
let ownerA: SignedUpUser;
let memberA: SignedUpUser;
let viewerA: SignedUpUser;
let ownerB: SignedUpUser;
let wsA: string;
let wsB: string;
let server: Server;
let hits = 0;
let baseUrl = "";
const as = (who: SignedUpUser) => callerFor(api.deps, who.user);
const cookie = (who: SignedUpUser, workspaceId = wsA) => ({ cookie: who.cookie, "x-weft-workspace": workspaceId });

/** source -> fetch (HTTP, counted by the test server) -> check (function) -> out. */
const fetchThenCheck = (checkCode: string): Graph => ({
  nodes: [
    node("in", "source"),
    node("fetch", "http", { method: "GET", url: `${baseUrl}/data` }),
    node("check", "function", { code: checkCode }),
    node("out", "sink"),
  ],
  edges: [edge("in", "fetch"), edge("fetch", "check"), edge("check", "out")],
});

async function insertFlow(workspaceId: string, graph: Graph): Promise<string> {
  const [row] = await api.deps.db.insert(flows).values({ workspaceId, name: "Collab", nodes: graph.nodes, edges: graph.edges }).returning({ id: flows.id });
  return row!.id;
}
async function runToEnd(workspaceId: string, who: SignedUpUser, graph: Graph, extra: { name?: string; tags?: string[] } = {}) {
  const flowId = await insertFlow(workspaceId, graph);
  const { executionId } = await as(who).executions.start({ workspaceId, flowId, input: { n: 1 }, ...extra });
  await t.waitFor(executionId, ["completed", "failed"]);
  return { flowId, executionId };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ value: 7, path: req.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api = await createTestApi();
  t = await createTestEngine(api.database);
  await t.engine.start();
  rest = restClient(api);
  [ownerA, memberA, viewerA, ownerB] = [
    await signUpUser(api, "CollabOwnerA"),
    await signUpUser(api, "CollabMemberA"),
    await signUpUser(api, "CollabViewerA"),
    await signUpUser(api, "CollabOwnerB"),
  ];
  wsA = (await as(ownerA).workspaces.create({ name: "Collab Alpha" })).id;
  wsB = (await as(ownerB).workspaces.create({ name: "Collab Beta" })).id;
  await as(ownerA).members.invite({ workspaceId: wsA, email: memberA.user.email, role: "member" });
  await as(ownerA).members.invite({ workspaceId: wsA, email: viewerA.user.email, role: "viewer" });
});
afterAll(async () => {
  await t?.engine.stop();
  await api?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe("comments", () => {
  it("on the run and on a step: markdown rendered and sanitised (XSS payloads removed), comment_added on the stream", async () => {
    const { executionId } = await runToEnd(wsA, ownerA, fetchThenCheck("return input;"));
    const payload = [
      "**bold** and [docs](https://example.com/docs)",
      '<script>alert("xss")</script><img src=x onerror="alert(1)">',
      "[click](javascript:alert(2)) <a href=\"javascript:alert(3)\">a</a> <iframe src=\"https://evil.example\"></iframe>",
      '<div onclick="alert(4)" style="background:url(javascript:alert(5))">styled</div>',
    ].join("\n\n");
    const posted = await rest<Comment>("POST", `/api/v1/executions/${executionId}/comments`, { headers: cookie(memberA), body: { body: payload } });
    expect(posted.status, posted.text).toBe(201);
    const { html } = posted.body;
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain('href="https://example.com/docs"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
    for (const bad of ["<script", "onerror", "javascript:", "<iframe", "onclick", "style=", "<img"]) expect(html.toLowerCase()).not.toContain(bad);
    expect(posted.body).toMatchObject({ kind: "user", body: payload, nodeId: null, canEdit: true, author: { id: memberA.user.id } });

    const onStep = await as(memberA).comments.create({ workspaceId: wsA, executionId, nodeId: "check", body: "looks *fine*" });
    expect(onStep).toMatchObject({ nodeId: "check", kind: "user", html: "<p>looks <em>fine</em></p>\n" });

    const list = await rest<{ comments: Comment[] }>("GET", `/api/v1/executions/${executionId}/comments`, { headers: cookie(viewerA) });
    expect(list.status).toBe(200);
    expect(list.body.comments.map((c) => c.id)).toEqual([posted.body.id, onStep.id]);
    expect(list.body.comments.every((c) => !c.canEdit)).toBe(true);
    const stepOnly = await rest<{ comments: Comment[] }>("GET", `/api/v1/executions/${executionId}/comments?nodeId=check`, { headers: cookie(viewerA) });
    expect(stepOnly.body.comments.map((c) => c.id)).toEqual([onStep.id]);

    const events = await t.store.events(executionId);
    const added = events.filter((e) => e.type === "comment_added");
    expect(added.map((e) => e.data)).toEqual([
      { commentId: posted.body.id, kind: "user", body: payload, authorId: memberA.user.id },
      { commentId: onStep.id, kind: "user", body: "looks *fine*", authorId: memberA.user.id, nodeId: "check" },
    ]);
    // Indexes stay contiguous although the run had ended (appended outside the lease).
    expect(events.map((e) => e.index)).toEqual(events.map((_, i) => i));
  });

  it("a step that is not in the run: 400 naming nodeId; viewers cannot comment (403); nothing written", async () => {
    const { executionId } = await runToEnd(wsA, ownerA, fetchThenCheck("return input;"));
    const unknown = await rest<ErrorBody>("POST", `/api/v1/executions/${executionId}/comments`, { headers: cookie(memberA), body: { body: "x", nodeId: "nope" } });
    expectRestError(unknown, 400, "BAD_REQUEST");
    expect(unknown.body.error.path).toBe("nodeId");
    const empty = await rest<ErrorBody>("POST", `/api/v1/executions/${executionId}/comments`, { headers: cookie(memberA), body: { body: "  " } });
    expect(empty.body.error.path).toBe("body");
    expectRestError(await rest("POST", `/api/v1/executions/${executionId}/comments`, { headers: cookie(viewerA), body: { body: "hi" } }), 403, "FORBIDDEN");
    const [row] = await api.deps.db.select({ n: count() }).from(comments).where(eq(comments.executionId, executionId));
    expect(row!.n).toBe(0);
  });

  it("authors edit and delete their own; others 403; admins any", async () => {
    const { executionId } = await runToEnd(wsA, ownerA, fetchThenCheck("return input;"));
    const mine = await as(memberA).comments.create({ workspaceId: wsA, executionId, body: "first draft" });
    const owners = await as(ownerA).comments.create({ workspaceId: wsA, executionId, body: "owner says" });
    const edited = await rest<Comment>("PATCH", `/api/v1/executions/${executionId}/comments/${mine.id}`, { headers: cookie(memberA), body: { body: "second **draft**" } });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({ body: "second **draft**", html: "<p>second <strong>draft</strong></p>\n" });
    expectRestError(await rest("PATCH", `/api/v1/executions/${executionId}/comments/${owners.id}`, { headers: cookie(memberA), body: { body: "hijack" } }), 403, "FORBIDDEN");
    expectRestError(await rest("DELETE", `/api/v1/executions/${executionId}/comments/${owners.id}`, { headers: cookie(memberA) }), 403, "FORBIDDEN");
    // The owner (admin and up) may edit and delete anyone's.
    expect((await rest("DELETE", `/api/v1/executions/${executionId}/comments/${mine.id}`, { headers: cookie(ownerA) })).status).toBe(200);
    const left = await as(viewerA).comments.list({ workspaceId: wsA, executionId });
    expect(left.comments.map((c) => [c.id, c.body])).toEqual([[owners.id, "owner says"]]);
  });

  it("system and agent comments written through the store show with their kind and cannot be edited by members", async () => {
    const { executionId } = await runToEnd(wsA, ownerA, fetchThenCheck("return input;"));
    await api.deps.executions.addComment({ workspaceId: wsA, executionId, kind: "system", body: "resumed after a crash on worker w-1" });
    await api.deps.executions.addComment({ workspaceId: wsA, executionId, kind: "agent", body: "I found **3** issues", nodeId: "check" });
    const list = await as(memberA).comments.list({ workspaceId: wsA, executionId });
    expect(list.comments.map((c) => [c.kind, c.author, c.canEdit])).toEqual([
      ["system", null, false],
      ["agent", null, false],
    ]);
    await expectTrpcError(as(memberA).comments.update({ workspaceId: wsA, executionId, commentId: list.comments[0]!.id, body: "x" }), "FORBIDDEN");
    // Another workspace cannot write into this run through the store either.
    expect(await api.deps.executions.addComment({ workspaceId: wsB, executionId, kind: "system", body: "x" })).toBeNull();
  });
});

describe("steps", () => {
  it("one row per node execution, and logs by type: input, output, events, console, a deterministic summary", async () => {
    const { executionId } = await runToEnd(wsA, ownerA, fetchThenCheck('console.log("checked", input.body.value); return { ok: true, value: input.body.value };'));
    const steps = await rest<{ steps: Array<{ nodeId: string; status: string; attempt: number; reused: boolean; metrics: { durationMs: number | null } }> }>(
      "GET",
      `/api/v1/executions/${executionId}/steps`,
      { headers: cookie(viewerA) },
    );
    expect(steps.status, steps.text).toBe(200);
    expect(steps.body.steps.map((s) => [s.nodeId, s.status, s.attempt, s.reused]).sort()).toEqual([
      ["check", "completed", 1, false],
      ["fetch", "completed", 1, false],
      ["in", "completed", 1, false],
      ["out", "completed", 1, false],
    ]);
    const logs = (type: string, nodeId = "check") => rest<{ type: string; content: unknown }>("GET", `/api/v1/executions/${executionId}/steps/${nodeId}/logs?type=${type}`, { headers: cookie(viewerA) });
    expect((await logs("input")).body.content).toMatchObject({ status: 200, body: { value: 7 } });
    expect((await logs("output")).body.content).toEqual({ ok: true, value: 7 });
    expect(((await logs("events")).body.content as Array<{ type: string }>).map((e) => e.type)).toEqual(["node_start", "node_stream", "node_complete"]);
    expect((await logs("console")).body.content).toMatchObject([{ level: "log", message: "checked 7" }]);
    const summary = (await logs("summary")).body.content as { text: string; output: unknown; attempts: number };
    expect(summary.output).toEqual([{ key: "ok", bytes: 4 }, { key: "value", bytes: 1 }]);
    expect(summary.text).toMatch(/^status: completed\nduration: \d+ ms\nattempts: 1\noutput:\n {2}ok: 4 bytes\n {2}value: 1 bytes$/);
    expect((await logs("summary")).body.content).toEqual(summary);

    expectRestError(await rest("GET", `/api/v1/executions/${executionId}/steps/check/logs?type=bogus`, { headers: cookie(viewerA) }), 400, "BAD_REQUEST");
    expectRestError(await rest("GET", `/api/v1/executions/${executionId}/steps/nope/logs`, { headers: cookie(viewerA) }), 400, "BAD_REQUEST");
    const viaTrpc = await as(viewerA).steps.logs({ workspaceId: wsA, executionId, nodeId: "fetch", type: "summary" });
    expect((viaTrpc.content as { status: string }).status).toBe("completed");
  });

  it("a failed step's summary carries the first lines of its error", async () => {
    const { executionId } = await runToEnd(wsA, ownerA, fetchThenCheck('throw new Error("line one\\nline two");'));
    const summary = await as(viewerA).steps.logs({ workspaceId: wsA, executionId, nodeId: "check", type: "summary" });
    const content = summary.content as { status: string; error: { code: string; lines: string[] }; text: string };
    expect(content.status).toBe("failed");
    expect(content.error.lines[0]).toContain("line one");
    expect(content.text).toContain("error: ");
  });
});

describe("re-run from a step", () => {
  it("after fixing the draft: upstream steps are reused (the HTTP step is NOT called again), the step and what follows run", async () => {
    const broken = fetchThenCheck('if (input.body.value > 5) throw new Error("too big"); return input.body;');
    const { flowId, executionId } = await runToEnd(wsA, ownerA, broken, { name: "nightly import", tags: ["Import", "eu"] });
    expect((await t.store.load(executionId))!.execution.status).toBe("failed");
    expect(hits).toBeGreaterThan(0);
    const hitsBefore = hits;
    // Fix the draft, re-run from the failed step on it.
    const fixed = fetchThenCheck("return { fixed: input.body.value * 2 };");
    await api.deps.db.update(flows).set({ nodes: fixed.nodes, edges: fixed.edges }).where(eq(flows.id, flowId));
    const answer = await rest<{ executionId: string; status: string; reusedNodeIds: string[] }>("POST", `/api/v1/executions/${executionId}/rerun`, {
      headers: cookie(memberA),
      body: { fromNodeId: "check", useDraft: true },
    });
    expect(answer.status, answer.text).toBe(202);
    expect(answer.body.reusedNodeIds.sort()).toEqual(["fetch", "in"]);
    const done = await t.waitFor(answer.body.executionId, ["completed", "failed"]);
    expect(done.execution).toMatchObject({ status: "completed", output: { fixed: 14 }, retryOfExecutionId: executionId, rerunFromNodeId: "check", name: "nightly import", tags: ["import", "eu"] });
    expect(hits).toBe(hitsBefore);

    const events = await t.store.events(answer.body.executionId);
    const starts = events.filter((e) => e.type === "node_start").map((e) => e.data.nodeId);
    expect(starts.sort()).toEqual(["check", "out"]);
    const reused = events.filter((e) => e.type === "node_complete" && e.data.reused === true).map((e) => e.data.nodeId);
    expect(reused.sort()).toEqual(["fetch", "in"]);
    expect(events[0]).toMatchObject({ type: "execution_start" });
    expect(events.filter((e) => e.data.reused === true).every((e) => e.data.fromExecutionId === executionId)).toBe(true);
    const steps = await as(viewerA).steps.list({ workspaceId: wsA, executionId: answer.body.executionId });
    expect(steps.steps.filter((s) => s.reused).map((s) => s.nodeId).sort()).toEqual(["fetch", "in"]);
  });

  it("on the pinned graph by default; 400 for an unknown step; 409 while the run is active; viewers 403", async () => {
    const { executionId } = await runToEnd(wsA, ownerA, fetchThenCheck('throw new Error("always");'));
    const again = await as(memberA).executions.rerun({ workspaceId: wsA, executionId, fromNodeId: "check" });
    expect((await t.waitFor(again.executionId, ["completed", "failed"])).execution.status).toBe("failed");
    const unknown = await rest<ErrorBody>("POST", `/api/v1/executions/${executionId}/rerun`, { headers: cookie(memberA), body: { fromNodeId: "ghost" } });
    expectRestError(unknown, 400, "BAD_REQUEST");
    expect(unknown.body.error.path).toBe("fromNodeId");
    expectRestError(await rest("POST", `/api/v1/executions/${executionId}/rerun`, { headers: cookie(viewerA), body: { fromNodeId: "check" } }), 403, "FORBIDDEN");
    const slowFlow = await insertFlow(wsA, { nodes: [node("in", "source"), node("wait", "delay", { ms: 60_000 }), node("out", "sink")], edges: [edge("in", "wait"), edge("wait", "out")] });
    const slow = await as(ownerA).executions.start({ workspaceId: wsA, flowId: slowFlow, input: {} });
    expectRestError(await rest("POST", `/api/v1/executions/${slow.executionId}/rerun`, { headers: cookie(memberA), body: { fromNodeId: "wait" } }), 409, "CONFLICT");
    await as(ownerA).executions.cancel({ workspaceId: wsA, executionId: slow.executionId });
  });
});

describe("names and tags", () => {
  it("set on execute, edited later, searchable in the list (name, tag filter)", async () => {
    const flowId = await insertFlow(wsA, fetchThenCheck("return 1;"));
    const started = await rest<{ executionId: string }>("POST", `/api/v1/flows/${flowId}/execute`, {
      headers: cookie(memberA),
      body: { input: {}, name: "Quarterly report", tags: ["Finance", "q3"] },
    });
    expect(started.status, started.text).toBe(202);
    const id = started.body.executionId;
    const bad = await rest<ErrorBody>("PATCH", `/api/v1/executions/${id}`, { headers: cookie(memberA), body: { tags: ["two words"] } });
    expectRestError(bad, 400, "BAD_REQUEST");
    expect(bad.body.error.path).toBe("tags[0]");
    const renamed = await rest<{ name: string; tags: string[] }>("PATCH", `/api/v1/executions/${id}`, { headers: cookie(memberA), body: { name: "Q3 report", tags: ["finance", "final"] } });
    expect(renamed.body).toMatchObject({ name: "Q3 report", tags: ["finance", "final"] });
    expectRestError(await rest("PATCH", `/api/v1/executions/${id}`, { headers: cookie(viewerA), body: { name: "x" } }), 403, "FORBIDDEN");
    const byName = await as(viewerA).executions.list({ workspaceId: wsA, search: "q3 rep" });
    expect(byName.items.map((i) => [i.id, i.name, i.tags])).toEqual([[id, "Q3 report", ["finance", "final"]]]);
    const byTag = await rest<{ items: Array<{ id: string }> }>("GET", `/api/v1/executions?tag=final`, { headers: cookie(viewerA) });
    expect(byTag.body.items.map((i) => i.id)).toEqual([id]);
    const detail = await as(viewerA).executions.byId({ workspaceId: wsA, executionId: id });
    expect(detail).toMatchObject({ name: "Q3 report", tags: ["finance", "final"] });
  });
});

describe("tenancy", () => {
  it("another workspace's caller gets 404 on every path, with nothing read or changed", async () => {
    const { executionId } = await runToEnd(wsA, ownerA, fetchThenCheck("return input;"));
    const c = await as(ownerA).comments.create({ workspaceId: wsA, executionId, body: "secret plan", nodeId: "check" });
    const before = await api.deps.db.select().from(flowExecutions).where(eq(flowExecutions.id, executionId));
    const other = cookie(ownerB, wsB);
    const base = `/api/v1/executions/${executionId}`;
    const calls: Array<[string, string, unknown?]> = [
      ["GET", `${base}/comments`],
      ["POST", `${base}/comments`, { body: "hi" }],
      ["PATCH", `${base}/comments/${c.id}`, { body: "x" }],
      ["DELETE", `${base}/comments/${c.id}`],
      ["GET", `${base}/steps`],
      ["GET", `${base}/steps/check/logs?type=output`],
      ["POST", `${base}/rerun`, { fromNodeId: "check" }],
      ["PATCH", base, { name: "mine now" }],
      ["GET", `${base}/artifacts`],
    ];
    for (const [method, path, body] of calls) {
      const answer = await rest(method, path, { headers: other, body });
      expectRestError(answer, 404, "NOT_FOUND");
      expect(answer.text).not.toContain("secret plan");
    }
    await expectTrpcError(as(ownerB).comments.list({ workspaceId: wsB, executionId }), "NOT_FOUND");
    await expectTrpcError(as(ownerB).steps.list({ workspaceId: wsB, executionId }), "NOT_FOUND");
    await expectTrpcError(as(ownerB).executions.rerun({ workspaceId: wsB, executionId, fromNodeId: "check" }), "NOT_FOUND");
    expect(await api.deps.db.select().from(flowExecutions).where(eq(flowExecutions.id, executionId))).toEqual(before);
    const [left] = await api.deps.db.select({ body: comments.body }).from(comments).where(and(eq(comments.id, c.id), eq(comments.workspaceId, wsA)));
    expect(left?.body).toBe("secret plan");
    const [runs] = await api.deps.db.select({ n: count() }).from(flowExecutions).where(eq(flowExecutions.workspaceId, wsB));
    expect(runs!.n).toBe(0);
  });
});
