import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyticsNodeHours, decisions, eq, flowExecutions } from "@weft/db";
import { createTestDatabase, type TestDatabase } from "@weft/db/testing";
import { createTestEngine, edge, node } from "../src/testing";
import { startFakeOpenAI } from "./fake-openai";
import { seedFlow } from "./support";

/** Decision rows and rollups come with the node's completion (drizzle/0004), from a real run. */
let database: TestDatabase;
let fake: Awaited<ReturnType<typeof startFakeOpenAI>>;
let t: Awaited<ReturnType<typeof createTestEngine>>;
let seed: Awaited<ReturnType<typeof seedFlow>>;
const CONNECTION = "6f1d7c1e-4a1b-4c55-9a55-2f6a3a7e9b10";

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeOpenAI();
  t = await createTestEngine(database, {
    onError: (error) => console.error(error),
    getConnection: async () => ({ provider: "openai_compatible", apiKey: "sk-test", baseUrl: fake.url }),
  });
  await t.engine.start();
  seed = await seedFlow(database.db);
});
afterAll(async () => {
  await t?.engine.stop();
  await fake?.close();
  await database?.close();
});

const graph = {
  nodes: [
    node("in", "source"),
    node("ask", "ai", { connectionId: CONNECTION, model: "gpt-4o-mini", prompt: "Classify {{ input.text }}" }),
    node("route", "router", { routes: [{ handle: "big", when: "input.n > 10" }], default: "small" }),
    node("fn", "function", { code: "return input" }),
    node("out", "sink"),
  ],
  edges: [edge("in", "ask"), edge("in", "route"), edge("route", "fn", "big"), edge("route", "out", "small"), edge("ask", "out"), edge("fn", "out")],
};

describe("decisions", () => {
  it("records one decision per completed AI block and router, with model, tokens, cost and route", async () => {
    fake.script([{ text: "spam", usage: { promptTokens: 40, completionTokens: 2 } }]);
    const execution = await t.store.create({ workspaceId: seed.workspaceId, flowId: seed.flowId, graph, input: { text: "buy now", n: 3 } });
    const done = await t.waitFor(execution.id, ["completed", "failed"]);
    expect(done.execution.status, JSON.stringify(done.execution.error)).toBe("completed");
    const rows = await database.db.select().from(decisions).where(eq(decisions.executionId, execution.id));
    expect(rows.map((r) => r.nodeId).sort()).toEqual(["ask", "route"]);
    const ai = rows.find((r) => r.nodeId === "ask")!;
    expect(ai).toMatchObject({ kind: "ai", isTest: false, flowId: seed.flowId, model: "gpt-4o-mini", tokensIn: 40, tokensOut: 2, input: { text: "buy now", n: 3 } });
    expect((ai.output as { text: string }).text).toBe("spam");
    expect(Number(ai.costUsd)).toBeGreaterThan(0);
    expect(ai.latencyMs).toBeGreaterThanOrEqual(0);
    const router = rows.find((r) => r.nodeId === "route")!;
    expect(router).toMatchObject({ kind: "router", route: "small", output: { handle: "small" }, model: null });

    const hours = await database.db.select().from(analyticsNodeHours).where(eq(analyticsNodeHours.workspaceId, seed.workspaceId));
    const byNode = Object.fromEntries(hours.map((h) => [h.nodeId, h]));
    expect(byNode.ask).toMatchObject({ runs: 1, failures: 0, tokensIn: 40, tokensOut: 2, decisions: 1, pricedCalls: 1, model: "gpt-4o-mini" });
    expect(byNode.route).toMatchObject({ runs: 1, decisions: 1 });
    expect(byNode.in).toMatchObject({ runs: 1, decisions: 0 });
    expect(byNode.fn).toBeUndefined(); // skipped branch: not a run
  });

  it("marks decisions of test runs as tests and keeps them out of the rollups", async () => {
    const before = await database.db.select().from(analyticsNodeHours).where(eq(analyticsNodeHours.workspaceId, seed.workspaceId));
    const execution = await database.db.transaction(async (tx) => {
      const created = await t.store.create({ workspaceId: seed.workspaceId, flowId: seed.flowId, graph: { nodes: [graph.nodes[0]!, graph.nodes[2]!, graph.nodes[4]!], edges: [edge("in", "route"), edge("route", "out", "big"), edge("route", "out", "small")] }, input: { n: 50 } }, tx);
      await tx.update(flowExecutions).set({ kind: "test" }).where(eq(flowExecutions.id, created.id));
      return created;
    });
    const done = await t.waitFor(execution.id, ["completed", "failed"]);
    expect(done.execution.status, JSON.stringify(done.execution.error)).toBe("completed");
    const [row] = await database.db.select().from(decisions).where(eq(decisions.executionId, execution.id));
    expect(row).toMatchObject({ kind: "router", route: "big", isTest: true });
    const after = await database.db.select().from(analyticsNodeHours).where(eq(analyticsNodeHours.workspaceId, seed.workspaceId));
    expect(after).toEqual(before);
  });
});
