import { describe, expect, it } from "vitest";
import { edge, fn, graph, node, sink, src } from "../test/builders";
import { planRerun } from "./rerun-plan";

const done = (...ids: Array<[string, string, string?]>) => ids.map(([nodeId, blockType, iteration = ""]) => ({ nodeId, blockType, iteration }));

// src -> a -> b -> out, with a side branch a -> side -> out (a join).
const diamond = graph(
  [src(), fn("a"), fn("b"), fn("side"), sink()],
  [edge("src", "a"), edge("a", "b"), edge("a", "side"), edge("b", "out"), edge("side", "out")],
);
// src -> each (loop) -body-> inner -> ; each -> out
const looped = graph(
  [src(), node("each", "loop", { over: "{{ input.items }}" }), fn("inner"), sink()],
  [edge("src", "each"), edge("each", "inner", "body"), edge("each", "out")],
);

describe("planRerun", () => {
  it("reuses everything not downstream of the start node, also a side branch that does not lead from it", () => {
    const plan = planRerun({
      graph: diamond,
      fromNodeId: "b",
      completed: done(["src", "source"], ["a", "function"], ["b", "function"], ["side", "function"], ["out", "sink"]),
    });
    expect(plan.startNodeId).toBe("b");
    expect([...plan.rerun].sort()).toEqual(["b", "out"]);
    expect(plan.reuse.map((s) => s.nodeId).sort()).toEqual(["a", "side", "src"]);
  });

  it("from the first step reuses only the source; with a new input the source runs again", () => {
    const completed = done(["src", "source"], ["a", "function"], ["b", "function"], ["side", "function"]);
    expect(planRerun({ graph: diamond, fromNodeId: "a", completed }).reuse.map((s) => s.nodeId)).toEqual(["src"]);
    expect(planRerun({ graph: diamond, fromNodeId: "a", completed, newInput: true }).reuse).toEqual([]);
  });

  it("a node inside a loop body re-runs its loop; rows of other iterations are not reused", () => {
    const plan = planRerun({
      graph: looped,
      fromNodeId: "inner",
      completed: done(["src", "source"], ["inner", "function", "0"], ["inner", "function", "1"], ["each", "loop"]),
    });
    expect(plan.startNodeId).toBe("each");
    expect(plan.reuse).toEqual([{ nodeId: "src", iteration: "" }]);
  });

  it("a reused step must still exist with the same type (re-run on an edited draft)", () => {
    const edited = graph([src(), node("a", "delay", { ms: 1 }), fn("b"), sink()], [edge("src", "a"), edge("a", "b"), edge("b", "out")]);
    const plan = planRerun({ graph: edited, fromNodeId: "b", completed: done(["src", "source"], ["a", "function"], ["gone", "function"]) });
    expect(plan.reuse.map((s) => s.nodeId)).toEqual(["src"]);
  });

  it("an unknown start node is refused", () => {
    expect(() => planRerun({ graph: diamond, fromNodeId: "nope", completed: [] })).toThrow(/nope/);
  });
});
