import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@weft/db/testing";
import { createTestEngine, edge, node } from "../src/testing";
import { expectEventsFollowContract, seedFlow } from "./support";

// Group commit: completions of quick blocks (function, router, ...) that queue up while more quick
// blocks run share one store call. The events must stay exactly as without it: contiguous, in order,
// every block row written.

let database: TestDatabase;
let seed: Awaited<ReturnType<typeof seedFlow>>;

beforeAll(async () => {
  database = await createTestDatabase();
  seed = await seedFlow(database.db);
});
afterAll(async () => {
  await database?.close();
});

function chain(length: number) {
  const ids = Array.from({ length }, (_, i) => `f${i}`);
  return {
    nodes: [node("in", "source"), ...ids.map((id) => node(id, "function", { code: "return { n: input.n + 1 };" })), node("out", "sink")],
    edges: [edge("in", ids[0]!), ...ids.slice(1).map((id, i) => edge(ids[i]!, id)), edge(ids.at(-1)!, "out")],
  };
}

async function runCounting(groupCommitMs: number, graph: ReturnType<typeof chain>) {
  // A long startEventDelayMs: a block slowed down by a busy machine still commits its start with its end.
  const t = await createTestEngine(database, { groupCommitMs, startEventDelayMs: 60_000 });
  let calls = 0;
  const commit = t.store.commit.bind(t.store);
  t.store.commit = (input) => {
    calls++;
    return commit(input);
  };
  await t.engine.start();
  try {
    const execution = await t.store.create({ workspaceId: seed.workspaceId, flowId: seed.flowId, graph, input: { n: 0 } });
    const done = await t.waitFor(execution.id, ["completed", "failed"]);
    return { ...done, calls, events: await t.store.events(execution.id) };
  } finally {
    await t.engine.stop();
  }
}

describe("group commit of quick blocks", () => {
  it("writes a chain of 30 function blocks in far fewer store calls, with every event in order", async () => {
    const graph = chain(30);
    const result = await runCounting(1_000, graph);
    expect(result.execution.status).toBe("completed");
    expect(result.execution.output).toEqual({ n: 30 });
    // 32 nodes: one call per node without grouping; with it, a few (the window is far longer than the run).
    expect(result.calls).toBeLessThan(10);
    expect(result.events.map((e) => e.index)).toEqual(result.events.map((_, i) => i));
    const nodeEvents = result.events.filter((e) => e.type === "node_start" || e.type === "node_complete");
    expect(nodeEvents.map((e) => `${e.type}:${String(e.data.nodeId)}`)).toEqual(
      ["in", ...graph.nodes.slice(1, -1).map((n) => n.id), "out"].flatMap((id) => [`node_start:${id}`, `node_complete:${id}`]),
    );
    expect(result.blocks).toHaveLength(32);
    expect(result.blocks.every((b) => b.status === "completed")).toBe(true);
    expect(result.blocks.find((b) => b.nodeId === "f29")?.output).toEqual({ n: 30 });
  });

  it("does not hold a completion for a block that waits (delay): the quick block before it lands first", async () => {
    const graph = {
      nodes: [node("in", "source"), node("f", "function", { code: "return 1;" }), node("wait", "delay", { ms: 300 }), node("out", "sink")],
      edges: [edge("in", "f"), edge("f", "wait"), edge("wait", "out")],
    };
    const t = await createTestEngine(database, { groupCommitMs: 60_000 });
    await t.engine.start();
    try {
      const execution = await t.store.create({ workspaceId: seed.workspaceId, flowId: seed.flowId, graph, input: {} });
      // While the delay runs, f's completion is already stored (a 60 s window would otherwise hold it).
      for (;;) {
        const loaded = await t.store.load(execution.id);
        if (loaded?.blocks.some((b) => b.nodeId === "wait")) {
          expect(loaded.blocks.find((b) => b.nodeId === "f")?.status).toBe("completed");
          break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      const done = await t.waitFor(execution.id, ["completed", "failed"]);
      expect(done.execution.status).toBe("completed");
    } finally {
      await t.engine.stop();
    }
  });
});

it("stores only events that follow the event contract (packages/flow)", async () => {
  await expectEventsFollowContract(database.db);
});
