import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, decisionCategories, decisions, eq, flows, patterns } from "@weft/db";
import type { ExecutionStatus } from "@weft/engine";
import { createTestEngine, edge, node } from "@weft/engine/testing";
import { startFakeOpenAI } from "../../engine/test/fake-openai";
import { callerFor, createTestApi, type TestApi } from "../src/testing";
import { expectRestError, expectTrpcError, expectUnchanged, restClient, signUpUser, type SignedUpUser } from "./support";

/**
 * Decisions (written with the run by the database), feedback, categories, patterns (evaluate and
 * suggestions, in the sandbox) and analytics, through REST and tRPC with a REAL engine; roles and tenancy.
 */

type Graph = { nodes: unknown[]; edges: unknown[] };
type DecisionBody = { id: string; nodeId: string; kind: string; route: string | null; input: unknown; feedback: null | { verdict: string; categories: string[]; by: { id: string } | null; at: string; correctedOutput: unknown; comment: string | null } };

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
let routerFlow: string;
let connectionId: string;
const as = (who: SignedUpUser) => callerFor(api.deps, who.user);
const cookieA = () => ({ cookie: ownerA.cookie, "x-weft-workspace": wsA });

const regionRouter: Graph = {
  nodes: [
    node("in", "source"),
    node("region", "router", { routes: [{ handle: "eu", when: "input.country === 'FR' || input.country === 'DE'" }], default: "us" }),
    node("out", "sink"),
  ],
  edges: [edge("in", "region"), edge("region", "out", "eu"), edge("region", "out", "us")],
};

async function insertFlow(workspaceId: string, name: string, graph: Graph): Promise<string> {
  const [row] = await api.deps.db.insert(flows).values({ workspaceId, name, nodes: graph.nodes, edges: graph.edges }).returning({ id: flows.id });
  return row!.id;
}
async function run(flowId: string, input: unknown, status: ExecutionStatus = "completed") {
  const { executionId } = await as(ownerA).executions.start({ workspaceId: wsA, flowId, input });
  const done = await t.waitFor(executionId, ["completed", "failed"]);
  expect(done.execution.status, JSON.stringify(done.execution.error)).toBe(status);
  return executionId;
}
async function decisionOf(executionId: string, nodeId: string) {
  const [row] = await api.deps.db.select().from(decisions).where(eq(decisions.executionId, executionId));
  expect(row?.nodeId).toBe(nodeId);
  return row!;
}

beforeAll(async () => {
  api = await createTestApi();
  fake = await startFakeOpenAI();
  t = await createTestEngine(api.database, {
    getConnection: async () => ({ provider: "openai_compatible", apiKey: "sk-test", baseUrl: fake.url }),
  });
  await t.engine.start();
  rest = restClient(api);
  [ownerA, viewerA, ownerB] = [await signUpUser(api, "DecOwnerA"), await signUpUser(api, "DecViewerA"), await signUpUser(api, "DecOwnerB")];
  wsA = (await as(ownerA).workspaces.create({ name: "Decisions Alpha" })).id;
  wsB = (await as(ownerB).workspaces.create({ name: "Decisions Beta" })).id;
  await as(ownerA).members.invite({ workspaceId: wsA, email: viewerA.user.email, role: "viewer" });
  const b = await rest<{ key: string }>("POST", `/api/v1/workspaces/${wsB}/api-keys`, { headers: { cookie: ownerB.cookie }, body: { name: "b", role: "admin" } });
  keyB = b.body.key;
  routerFlow = await insertFlow(wsA, "Regions", regionRouter);
  connectionId = randomUUID();
});
afterAll(async () => {
  await t?.engine.stop();
  await fake?.close();
  await api?.close();
});

describe("decisions and feedback", () => {
  it("lists the router decisions of runs, filters them, and takes editable feedback with categories", async () => {
    const fr = await run(routerFlow, { country: "FR", vip: true });
    const us = await run(routerFlow, { country: "US", vip: false });
    const listed = await rest<{ items: DecisionBody[]; nextCursor: string | null }>("GET", `/api/v1/decisions?flowId=${routerFlow}&nodeId=region`, { headers: cookieA() });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.items.map((d) => d.route).sort()).toEqual(["eu", "us"]);
    expect(listed.body.items.every((d) => d.kind === "router" && d.feedback === null)).toBe(true);

    const decision = await decisionOf(us, "region");
    const one = await rest<{ decision: DecisionBody }>("GET", `/api/v1/decisions/${decision.id}`, { headers: cookieA() });
    expect(one.body.decision).toMatchObject({ id: decision.id, route: "us", input: { country: "US", vip: false } });

    const given = await rest<{ decision: DecisionBody }>("PUT", `/api/v1/decisions/${decision.id}/feedback`, {
      headers: cookieA(),
      body: { verdict: "incorrect", categories: ["wrong-region", "wrong-region"], correctedOutput: "eu", comment: "US customers in the EU program" },
    });
    expect(given.status, given.text).toBe(200);
    expect(given.body.decision.feedback).toMatchObject({ verdict: "incorrect", categories: ["wrong-region"], correctedOutput: "eu", by: { id: ownerA.user.id } });
    const firstAt = given.body.decision.feedback!.at;

    // Editable: the second answer replaces the first, and who/when are updated.
    const edited = await as(ownerA).decisions.feedback({ workspaceId: wsA, decisionId: decision.id, verdict: "partial", categories: ["tone"] });
    expect(edited.feedback).toMatchObject({ verdict: "partial", categories: ["tone"], correctedOutput: null, comment: null });
    expect(new Date(edited.feedback!.at!).getTime()).toBeGreaterThanOrEqual(new Date(firstAt).getTime());

    const categories = await rest<{ categories: Array<{ name: string }> }>("GET", "/api/v1/decision-categories", { headers: cookieA() });
    expect(categories.body.categories.map((c) => c.name)).toEqual(["tone", "wrong-region"]);

    const partial = await rest<{ items: DecisionBody[] }>("GET", "/api/v1/decisions?feedback=partial&category=tone", { headers: cookieA() });
    expect(partial.body.items.map((d) => d.id)).toEqual([decision.id]);
    const none = await rest<{ items: DecisionBody[] }>("GET", `/api/v1/decisions?feedback=none&flowId=${routerFlow}`, { headers: cookieA() });
    expect(none.body.items.map((d) => d.id)).toEqual([(await decisionOf(fr, "region")).id]);
  });

  it("refuses bad feedback naming the field, and viewers may read but not give feedback", async () => {
    const executionId = await run(routerFlow, { country: "DE" });
    const decision = await decisionOf(executionId, "region");
    const snapshot = () => api.deps.db.select().from(decisions).where(eq(decisions.id, decision.id));
    await expectUnchanged(snapshot, async () => {
      const bad = await rest<{ error: { path: string } }>("PUT", `/api/v1/decisions/${decision.id}/feedback`, { headers: cookieA(), body: { verdict: "maybe", categories: [] } });
      expectRestError(bad, 400, "BAD_REQUEST");
      expect(bad.body.error.path).toBe("verdict");
      const longCategory = await rest<{ error: { path: string } }>("PUT", `/api/v1/decisions/${decision.id}/feedback`, { headers: cookieA(), body: { verdict: "correct", categories: ["x".repeat(65)] } });
      expect(longCategory.body.error.path).toBe("categories[0]");
      await expectTrpcError(as(viewerA).decisions.feedback({ workspaceId: wsA, decisionId: decision.id, verdict: "correct", categories: [] }), "FORBIDDEN");
    });
    expect((await as(viewerA).decisions.byId({ workspaceId: wsA, decisionId: decision.id })).id).toBe(decision.id);
    expectRestError(await rest("GET", `/api/v1/decisions/${randomUUID()}`, { headers: cookieA() }), 404, "NOT_FOUND");
  });

  it("records AI decisions with model, tokens and cost; an unknown price makes the cost null and is counted", async () => {
    const aiFlow = await insertFlow(wsA, "Classifier", {
      nodes: [node("in", "source"), node("classify", "ai", { connectionId, model: "gpt-4o-mini", prompt: "Classify {{ input.text }}" }), node("out", "sink")],
      edges: [edge("in", "classify"), edge("classify", "out")],
    });
    const localFlow = await insertFlow(wsA, "Local classifier", {
      nodes: [node("in", "source"), node("classify", "ai", { connectionId, model: "house-model-7b", prompt: "Classify {{ input.text }}" }), node("out", "sink")],
      edges: [edge("in", "classify"), edge("classify", "out")],
    });
    fake.script([{ text: "spam", usage: { promptTokens: 100, completionTokens: 5 } }, { text: "ham", usage: { promptTokens: 80, completionTokens: 4 } }]);
    const priced = await run(aiFlow, { text: "win a prize" });
    await run(localFlow, { text: "lunch?" });
    const decision = await decisionOf(priced, "classify");
    expect(decision).toMatchObject({ kind: "ai", model: "gpt-4o-mini", tokensIn: 100, tokensOut: 5 });
    expect(Number(decision.costUsd)).toBeGreaterThan(0);

    const byModel = await rest<{ rows: Array<{ model: string; costUsd: number | null; unknownCostCalls: number; tokensIn: number; calls: number }> }>(
      "GET",
      "/api/v1/analytics/costs?groupBy=model",
      { headers: cookieA() },
    );
    expect(byModel.status, byModel.text).toBe(200);
    const rows = Object.fromEntries(byModel.body.rows.map((r) => [r.model, r]));
    expect(rows["gpt-4o-mini"]).toMatchObject({ tokensIn: 100, unknownCostCalls: 0, calls: 1 });
    expect(rows["gpt-4o-mini"]!.costUsd).toBeCloseTo(Number(decision.costUsd), 8);
    expect(rows["house-model-7b"]).toMatchObject({ tokensIn: 80, costUsd: null, unknownCostCalls: 1, calls: 1 });
    const byNode = await as(ownerA).analytics.costs({ workspaceId: wsA, groupBy: "node" });
    expect(byNode.rows.find((r) => r.flowId === localFlow)).toMatchObject({ nodeId: "classify", costUsd: null, unknownCostCalls: 1, models: [{ model: "house-model-7b" }] });
  });
});

describe("analytics", () => {
  it("block analytics count runs and accuracy per node, and move when feedback changes", async () => {
    const flowId = await insertFlow(wsA, "Accuracy", regionRouter);
    const ids = [await run(flowId, { country: "FR" }), await run(flowId, { country: "US" }), await run(flowId, { country: "US" })];
    const region = async () => (await as(viewerA).analytics.blocks({ workspaceId: wsA, flowId, bucket: "hour" })).totals.find((n) => n.nodeId === "region")!;
    expect(await region()).toMatchObject({ runs: 3, failures: 0, successRate: 1, decisions: 3, accuracy: null, feedbackCount: 0 });
    const [d0, d1, d2] = (await Promise.all(ids.map((id) => decisionOf(id, "region")))) as [Awaited<ReturnType<typeof decisionOf>>, Awaited<ReturnType<typeof decisionOf>>, Awaited<ReturnType<typeof decisionOf>>];
    await as(ownerA).decisions.feedback({ workspaceId: wsA, decisionId: d0.id, verdict: "correct", categories: [] });
    await as(ownerA).decisions.feedback({ workspaceId: wsA, decisionId: d1.id, verdict: "incorrect", categories: [] });
    expect(await region()).toMatchObject({ accuracy: 0.5, feedbackCount: 2, correct: 1, incorrect: 1 });
    await as(ownerA).decisions.feedback({ workspaceId: wsA, decisionId: d1.id, verdict: "correct", categories: [] });
    await as(ownerA).decisions.feedback({ workspaceId: wsA, decisionId: d2.id, verdict: "partial", categories: [] });
    const after = await region();
    expect(after).toMatchObject({ accuracy: 1, feedbackCount: 3, correct: 2, incorrect: 0, partial: 1 });
    expect(after.p50DurationMs).not.toBeNull();
    const answer = await rest<{ series: Array<{ nodeId: string; bucket: string; runs: number }> }>("GET", `/api/v1/analytics/blocks?flowId=${flowId}&bucket=day`, { headers: cookieA() });
    expect(answer.body.series.filter((s) => s.nodeId === "region").reduce((n, s) => n + s.runs, 0)).toBe(3);
    expectRestError(await rest("GET", "/api/v1/analytics/blocks?bucket=week", { headers: cookieA() }), 400, "BAD_REQUEST");
    expectRestError(await rest("GET", "/api/v1/analytics/blocks?from=2026-02-01&to=2026-01-01", { headers: cookieA() }), 400, "BAD_REQUEST");
  });

  it("groups failures by code, normalised message and block type, with flows and sample runs", async () => {
    const flowId = await insertFlow(wsA, "Orders", {
      nodes: [node("in", "source"), node("charge", "function", { code: "throw new Error('Order ' + input.order + ' was declined by \"bank-' + input.order + '\"')" }), node("out", "sink")],
      edges: [edge("in", "charge"), edge("charge", "out")],
    });
    const runs = [await run(flowId, { order: 17 }, "failed"), await run(flowId, { order: 4242 }, "failed")];
    const { groups } = await as(viewerA).analytics.failures({ workspaceId: wsA, flowId });
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ count: 2, blockType: "function", flows: [{ id: flowId, name: "Orders" }] });
    expect(groups[0]!.message).toContain("Order <n> was declined by <value>");
    expect([...groups[0]!.sampleExecutionIds].sort()).toEqual([...runs].sort());
  });
});

describe("patterns", () => {
  it("CRUD, evaluate in the sandbox, and a suggestion from incorrect decisions becomes a pattern", async () => {
    const flowId = await insertFlow(wsA, "Patterned", regionRouter);
    const ids = [
      await run(flowId, { country: "CH", vip: true }),
      await run(flowId, { country: "CH", vip: true }),
      await run(flowId, { country: "FR", vip: true }),
      await run(flowId, { country: "US", vip: false }),
    ];
    const ds = await Promise.all(ids.map((id) => decisionOf(id, "region")));
    for (const d of ds.slice(0, 2)) {
      await as(ownerA).decisions.feedback({ workspaceId: wsA, decisionId: d.id, verdict: "incorrect", categories: ["wrong-region"], correctedOutput: "eu" });
    }
    await as(ownerA).decisions.feedback({ workspaceId: wsA, decisionId: ds[2]!.id, verdict: "correct", categories: [] });

    const suggestions = await rest<{ suggestions: Array<{ when: string; expect: unknown; count: number; nodeId: string; flowId: string; sampleDecisionIds: string[]; name: string }> }>(
      "GET",
      `/api/v1/patterns/suggestions?flowId=${flowId}`,
      { headers: cookieA() },
    );
    expect(suggestions.status, suggestions.text).toBe(200);
    const [suggestion] = suggestions.body.suggestions;
    expect(suggestion).toMatchObject({ count: 2, nodeId: "region", flowId, expect: "eu", when: `input["country"] === "CH" && input["vip"] === true` });
    expect([...suggestion!.sampleDecisionIds].sort()).toEqual([ds[0]!.id, ds[1]!.id].sort());

    const created = await rest<{ pattern: { id: string; when: string } }>("POST", "/api/v1/patterns", {
      headers: cookieA(),
      body: { name: suggestion!.name, flowId, nodeId: "region", when: suggestion!.when, expect: "eu", exampleDecisionIds: suggestion!.sampleDecisionIds },
    });
    expect(created.status, created.text).toBe(201);
    const patternId = created.body.pattern.id;
    // Accepted suggestions are not proposed again.
    expect((await as(ownerA).patterns.suggestions({ workspaceId: wsA, flowId })).find((s) => s.when === suggestion!.when)).toBeUndefined();

    const evaluation = await rest<{ evaluation: { evaluated: number; matched: number; right: number; wrong: number; rightBy: string; samples: { wrong: string[] } } }>(
      "POST",
      `/api/v1/patterns/${patternId}/evaluate`,
      { headers: { ...cookieA(), "content-length": "0" } },
    );
    expect(evaluation.status, evaluation.text).toBe(200);
    expect(evaluation.body.evaluation).toMatchObject({ evaluated: 4, matched: 2, right: 0, wrong: 2, rightBy: "expect" });

    // A broader rule: the EU countries go to "eu"; right when the router agreed.
    const updated = await rest<{ pattern: { when: string } }>("PUT", `/api/v1/patterns/${patternId}`, { headers: cookieA(), body: { when: "['FR', 'DE', 'CH'].includes(input.country)" } });
    expect(updated.status, updated.text).toBe(200);
    const second = await as(ownerA).patterns.evaluate({ workspaceId: wsA, patternId });
    expect(second).toMatchObject({ matched: 3, right: 1, wrong: 2 });

    const bad = await rest<{ error: { path: string } }>("PUT", `/api/v1/patterns/${patternId}`, { headers: cookieA(), body: { when: "input.country ===" } });
    expectRestError(bad, 400, "BAD_REQUEST");
    expect(bad.body.error.path).toBe("when");
    const endless = await rest<{ error: { path: string } }>("POST", "/api/v1/patterns", { headers: cookieA(), body: { name: "spin", when: "(() => { for (;;) {} })()" } });
    expectRestError(endless, 400, "BAD_REQUEST");
    // The host is out of reach from an expression.
    const host = await rest("POST", "/api/v1/patterns", { headers: cookieA(), body: { name: "host", when: "process.exit(1)" } });
    expect(host.status, host.text).toBe(201);
    const hostEval = await as(ownerA).patterns.evaluate({ workspaceId: wsA, patternId: (host.body as { pattern: { id: string } }).pattern.id });
    expect(hostEval).toMatchObject({ matched: 0 });
    expect(hostEval.errors).toBeGreaterThan(0);

    expect((await as(viewerA).patterns.list({ workspaceId: wsA })).map((p) => p.id)).toContain(patternId);
    await expectTrpcError(as(viewerA).patterns.delete({ workspaceId: wsA, patternId }), "FORBIDDEN");
    const deleted = await rest("DELETE", `/api/v1/patterns/${patternId}`, { headers: cookieA() });
    expect(deleted.status).toBe(200);
    expectRestError(await rest("GET", `/api/v1/patterns/${patternId}`, { headers: cookieA() }), 404, "NOT_FOUND");
  });
});

describe("tenancy", () => {
  it("another workspace's user or key gets 404 on every id, reads nothing, and changes nothing", async () => {
    const executionId = await run(routerFlow, { country: "FR" });
    const decision = await decisionOf(executionId, "region");
    const pattern = await as(ownerA).patterns.create({ workspaceId: wsA, name: "A's", when: "true", flowId: routerFlow, exampleDecisionIds: [decision.id] });
    const snapshot = async () => ({
      decisions: await api.deps.db.select().from(decisions).where(eq(decisions.workspaceId, wsA)).orderBy(asc(decisions.id)),
      patterns: await api.deps.db.select().from(patterns).where(eq(patterns.workspaceId, wsA)).orderBy(asc(patterns.id)),
      categories: await api.deps.db.select().from(decisionCategories).where(eq(decisionCategories.workspaceId, wsA)).orderBy(asc(decisionCategories.id)),
    });
    const cases: Array<[string, string, unknown?]> = [
      ["GET", `/api/v1/decisions/${decision.id}`],
      ["PUT", `/api/v1/decisions/${decision.id}/feedback`, { verdict: "incorrect", categories: ["b-was-here"] }],
      ["GET", `/api/v1/patterns/${pattern.id}`],
      ["PUT", `/api/v1/patterns/${pattern.id}`, { name: "B's now" }],
      ["DELETE", `/api/v1/patterns/${pattern.id}`],
      ["POST", `/api/v1/patterns/${pattern.id}/evaluate`],
      ["POST", "/api/v1/patterns", { name: "steal", when: "true", flowId: routerFlow }],
      ["POST", "/api/v1/patterns", { name: "steal", when: "true", exampleDecisionIds: [decision.id] }],
    ];
    await expectUnchanged(snapshot, async () => {
      for (const headers of [{ cookie: ownerB.cookie }, { authorization: `Bearer ${keyB}` }] as Array<Record<string, string>>) {
        for (const [method, path, body] of cases) {
          const answer = await rest(method, path, { body, headers: { ...headers, ...(body === undefined && method === "POST" ? { "content-length": "0" } : {}) } });
          expectRestError(answer, 404, "NOT_FOUND");
          expect(answer.text).not.toContain("FR");
        }
        const list = await rest<{ items: unknown[] }>("GET", "/api/v1/decisions", { headers });
        expect(list.body.items).toEqual([]);
        const blocks = await rest<{ totals: unknown[] }>("GET", "/api/v1/analytics/blocks", { headers });
        expect(blocks.body.totals).toEqual([]);
        expect((await rest<{ rows: unknown[] }>("GET", "/api/v1/analytics/costs", { headers })).body.rows).toEqual([]);
        expect((await rest<{ groups: unknown[] }>("GET", "/api/v1/analytics/failures", { headers })).body.groups).toEqual([]);
        expect((await rest<{ suggestions: unknown[] }>("GET", "/api/v1/patterns/suggestions", { headers })).body.suggestions).toEqual([]);
        expect((await rest<{ categories: unknown[] }>("GET", "/api/v1/decision-categories", { headers })).body.categories).toEqual([]);
        expect((await rest<{ patterns: unknown[] }>("GET", "/api/v1/patterns", { headers })).body.patterns).toEqual([]);
      }
      // tRPC, with A's workspace id: not a member -> 404.
      await expectTrpcError(as(ownerB).decisions.byId({ workspaceId: wsA, decisionId: decision.id }), "NOT_FOUND");
      await expectTrpcError(as(ownerB).decisions.byId({ workspaceId: wsB, decisionId: decision.id }), "NOT_FOUND");
      await expectTrpcError(as(ownerB).patterns.evaluate({ workspaceId: wsB, patternId: pattern.id }), "NOT_FOUND");
      await expectTrpcError(as(ownerB).analytics.blocks({ workspaceId: wsA }), "NOT_FOUND");
    });
  });
});
