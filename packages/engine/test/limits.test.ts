import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@weft/db/testing";
import { createTestEngine, edge, node } from "../src/testing";
import { expectEventsFollowContract, seedFlow } from "./support";

/** Runaway limits: each is a clear failure naming the limit, never a silent truncation. */
let database: TestDatabase;
let t: Awaited<ReturnType<typeof createTestEngine>>;
let seed: Awaited<ReturnType<typeof seedFlow>>;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestEngine(database, { limits: { maxEvents: 40, maxOutputBytes: 1000 } });
  await t.engine.start();
  seed = await seedFlow(database.db);
});
afterAll(async () => {
  await t?.engine.stop();
  await database?.close();
});

async function runToEnd(graph: { nodes: unknown[]; edges: unknown[] }, input: unknown = {}) {
  const execution = await t.store.create({ workspaceId: seed.workspaceId, flowId: seed.flowId, graph, input });
  return t.waitFor(execution.id, ["completed", "failed"]);
}

describe("runaway limits", () => {
  it("fails a node whose output is over the stored output limit", async () => {
    const done = await runToEnd({
      nodes: [node("in", "source"), node("big", "function", { code: "return 'x'.repeat(5000);" }), node("out", "sink")],
      edges: [edge("in", "big"), edge("big", "out")],
    });
    expect(done.execution.status).toBe("failed");
    expect(done.execution.error).toMatchObject({ code: "OUTPUT_LIMIT", nodeId: "big" });
    expect(done.execution.error?.message).toContain("limit of 1000 bytes");
  });

  it("fails a run that reaches its event limit", async () => {
    const done = await runToEnd(
      {
        nodes: [node("in", "source"), node("each", "loop", { over: "{{ input.items }}", maxIterations: 1000 }), node("step", "function", { code: "return input.index;" }), node("out", "sink")],
        edges: [edge("in", "each"), edge("each", "step", "body"), edge("each", "out")],
      },
      { items: Array.from({ length: 100 }, (_, i) => i) },
    );
    expect(done.execution.status).toBe("failed");
    expect(done.execution.error?.message).toContain("limit of 40 events");
    const events = await t.store.events(done.execution.id);
    expect(events.length).toBeLessThanOrEqual(42);
    expect(events.at(-1)?.type).toBe("execution_error");
  });
});

it("stores only events that follow the event contract (packages/flow)", async () => {
  await expectEventsFollowContract(database.db);
});
