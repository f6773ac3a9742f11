import { describe, expect, it } from "vitest";
import { iterationOf, planScope, type JoinMode, type NodeState, type ScopeGraph } from "./scope";

type Edge = [source: string, target: string, handle?: string];

/** A graph from edges; node types by id prefix (`r` router, `loop` loop, else function). */
function graphOf(edges: Edge[], opts: { join?: Record<string, JoinMode>; loops?: Record<string, string> } = {}): ScopeGraph {
  return {
    sourceId: "in",
    incoming: (id) => edges.filter(([, t]) => t === id).map(([source, , handle]) => ({ source, sourceHandle: handle ?? null })),
    loopOf: (id) => opts.loops?.[id] ?? null,
    joinMode: (id) => opts.join?.[id] ?? "all",
    typeOf: (id) => (id.startsWith("r") ? "router" : id.startsWith("loop") ? "loop" : "function"),
  };
}

function plan(graph: ScopeGraph, nodeIds: string[], states: Record<string, NodeState>, extra: { loopId?: string; iteration?: string; entry?: unknown; inFlight?: string[] } = {}) {
  return planScope({
    graph,
    nodeIds,
    loopId: extra.loopId ?? null,
    iteration: extra.iteration ?? "",
    entry: extra.entry,
    runInput: { run: true },
    state: (id, at) => states[at ? `${id}@${at}` : id],
    // By default a node recorded running is one the runner runs now (in flight).
    inFlight: (id) => extra.inFlight?.includes(id) ?? states[id]?.status === "running",
  });
}

const done = (output: unknown): NodeState => ({ status: "completed", output });

describe("planScope: readiness, joins, skips (pure)", () => {
  const chain = graphOf([["in", "a"], ["a", "b"]]);
  const diamond = (join: JoinMode) => graphOf([["in", "x"], ["in", "y"], ["x", "j"], ["y", "j"]], { join: { j: join } });
  const routed = graphOf([["in", "r"], ["r", "yes", "yes"], ["r", "no", "no"], ["yes", "j"], ["no", "j"]]);

  const cases: Array<{ name: string; graph: ScopeGraph; nodes: string[]; states: Record<string, NodeState>; extra?: Parameters<typeof plan>[3]; ready: Array<[string, unknown]>; skip: string[] }> = [
    { name: "the source is ready with the run input", graph: chain, nodes: ["in", "a", "b"], states: {}, ready: [["in", { run: true }]], skip: [] },
    { name: "a child waits for its running parent", graph: chain, nodes: ["in", "a", "b"], states: { in: { status: "running" } }, ready: [], skip: [] },
    { name: "a single parent's output is the input", graph: chain, nodes: ["in", "a", "b"], states: { in: done(1) }, ready: [["a", 1]], skip: [] },
    { name: "settled nodes are not planned again", graph: chain, nodes: ["in", "a", "b"], states: { in: done(1), a: done(2), b: done(3) }, ready: [], skip: [] },
    { name: "in-flight nodes are not planned again", graph: chain, nodes: ["in", "a", "b"], states: { in: done(1) }, extra: { inFlight: ["a"] }, ready: [], skip: [] },
    { name: "a node recorded running (resumed after a crash) is ready", graph: chain, nodes: ["in", "a", "b"], states: { in: done(1), a: { status: "running" } }, extra: { inFlight: [] }, ready: [["a", 1]], skip: [] },
    { name: "join all waits for every parent", graph: diamond("all"), nodes: ["x", "y", "j"], states: { in: done(0), x: done("X"), y: { status: "running" } }, ready: [], skip: [] },
    { name: "join all runs keyed by parent", graph: diamond("all"), nodes: ["x", "y", "j"], states: { in: done(0), x: done("X"), y: done("Y") }, ready: [["j", { x: "X", y: "Y" }]], skip: [] },
    { name: "join all runs with the parents that arrived (one skipped)", graph: diamond("all"), nodes: ["x", "y", "j"], states: { in: done(0), x: done("X"), y: { status: "skipped" } }, ready: [["j", { x: "X" }]], skip: [] },
    { name: "join any runs as soon as one arrives", graph: diamond("any"), nodes: ["x", "y", "j"], states: { in: done(0), x: done("X"), y: { status: "running" } }, ready: [["j", { x: "X" }]], skip: [] },
    { name: "join first takes the first arrival alone", graph: diamond("first"), nodes: ["x", "y", "j"], states: { in: done(0), x: { status: "running" }, y: done("Y") }, ready: [["j", "Y"]], skip: [] },
    { name: "a router's unchosen branch is skipped", graph: routed, nodes: ["yes", "no", "j"], states: { in: done(0), r: done({ handle: "yes", value: 1 }) }, ready: [["yes", { handle: "yes", value: 1 }]], skip: ["no"] },
    { name: "the join after a router runs with the chosen branch", graph: routed, nodes: ["yes", "no", "j"], states: { in: done(0), r: done({ handle: "yes" }), yes: done("Y"), no: { status: "skipped" } }, ready: [["j", { yes: "Y" }]], skip: [] },
    { name: "a node nothing can reach is skipped", graph: diamond("all"), nodes: ["x", "y", "j"], states: { in: done(0), x: { status: "skipped" }, y: { status: "failed" } }, ready: [], skip: ["j"] },
    {
      name: "a loop body's entry node gets the entry; outer nodes are read at their own level",
      graph: graphOf([["in", "loop"], ["loop", "e", "body"], ["in", "e"]], { loops: { e: "loop" } }),
      nodes: ["e"],
      states: { in: done("outer") },
      extra: { loopId: "loop", iteration: "2", entry: { item: "i", index: 2 } },
      ready: [["e", { loop: { item: "i", index: 2 }, in: "outer" }]],
      skip: [],
    },
    {
      name: "inside an iteration, body nodes are read in that iteration",
      graph: graphOf([["a", "b"]], { loops: { a: "loop", b: "loop" } }),
      nodes: ["a", "b"],
      states: { "a@1": done("A1"), a: done("top-level a is another node") },
      extra: { loopId: "loop", iteration: "1" },
      ready: [["b", "A1"]],
      skip: [],
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const result = plan(c.graph, c.nodes, c.states, c.extra);
      expect(result.ready.map((r) => [r.nodeId, r.input])).toEqual(c.ready);
      expect(result.skip.map((s) => s.nodeId)).toEqual(c.skip);
    });
  }

  it("iterationOf: a node's path is the prefix as deep as its loops", () => {
    const g = graphOf([], { loops: { inner: "loopB", loopB: "loopA", mid: "loopA" } });
    expect(iterationOf(g, "top", "2.3")).toBe("");
    expect(iterationOf(g, "mid", "2.3")).toBe("2");
    expect(iterationOf(g, "inner", "2.3")).toBe("2.3");
    expect(iterationOf(g, "inner", "")).toBe("");
  });
});
