import { describe, expect, it } from "vitest";
import { CONNECTION_ID, edge, fn, graph, linear, node, sink, src } from "../test/builders";
import { compileFlow } from "./compile";
import { blockTypes } from "./schema";
import { FlowValidationError } from "./validate";

/**
 * A support-ticket flow using every block type:
 *
 * src -> fetch (http) -> classify (ai) -> route (router)
 *   route:urgent -> approve (approval) -> notify (http) -> doneUrgent (sink)
 *   route:normal -> fan (parallel, merge any)
 *       fan:left  -> enrich (function) -> join (function)
 *       fan:right -> wait (delay)      -> join
 *     join -> each (loop over items)
 *       each:body -> perItem (function) -> poll (loop while) -> summarize (function)
 *                                          poll:body -> check (http)
 *       each -> done (sink)
 *   route:other -> triage (router, ai mode)
 *       triage:bug -> fileBug (http) -> doneOther (sink)
 *       triage:question -> answer (ai) -> doneOther
 */
function ticketFlow() {
  return {
    viewport: { x: 0, y: 0, zoom: 1 },
    ...graph(
      [
        node("src", "source", {
          inputSchema: { type: "object", properties: { ticketId: { type: "string" } }, required: ["ticketId"] },
        }),
        node(
          "fetch",
          "http",
          { url: "{{ env.API }}/tickets/{{ input.ticketId }}", headers: { accept: "application/json" } },
          { label: "Fetch ticket", retry: { maxAttempts: 3 }, timeoutMs: 10_000 },
        ),
        node("classify", "ai", {
          connectionId: CONNECTION_ID,
          model: "gpt-4.1-mini",
          systemPrompt: "You triage support tickets.",
          prompt: "Classify: {{ input.body.text }}",
          outputSchema: { type: "object", properties: { priority: { type: "string" } } },
          temperature: 0,
          maxTokens: 200,
          tools: [
            {
              name: "lookup_customer",
              description: "Finds a customer by email",
              inputSchema: { type: "object", properties: { email: { type: "string" } } },
              code: "return { plan: 'pro', email: args.email };",
            },
          ],
          fallbackModels: ["gpt-4.1"],
        }),
        node("route", "router", {
          routes: [
            { handle: "urgent", when: "input.priority === 'high'" },
            { handle: "normal", when: "input.priority === 'normal'" },
          ],
          default: "other",
        }),
        node("approve", "approval", { message: "Escalate ticket {{ nodes.fetch.output.body.id }}?", timeoutMs: 3_600_000 }),
        node("notify", "http", {
          method: "POST",
          url: "{{ env.API }}/escalations",
          body: { ticket: "{{ nodes.fetch.output.body }}", by: "{{ input.by }}" },
        }),
        sink("doneUrgent", { escalated: true }),
        node("fan", "parallel", { branches: ["left", "right"], merge: "any" }),
        fn("enrich", "return { ...input, enriched: true };"),
        node("wait", "delay", { ms: 1000 }),
        fn("join", "return { items: Object.values(input) };"),
        node("each", "loop", { over: "{{ input.items }}", maxIterations: 50 }),
        fn("perItem", "return input.item;"),
        node("poll", "loop", { while: "iteration < 3 && !input.done", maxIterations: 5 }),
        node("check", "http", { url: "{{ env.API }}/status" }),
        fn("summarize"),
        sink("done", { results: "{{ input }}", source: "{{ nodes.classify.output }}" }),
        node("triage", "router", {
          mode: "ai",
          connectionId: CONNECTION_ID,
          model: "gpt-4.1-mini",
          prompt: "Is this a bug or a question? {{ nodes.fetch.output.body.text }}",
          routes: [
            { handle: "bug", when: "The ticket reports something broken" },
            { handle: "question", when: "The ticket asks how to do something" },
          ],
        }),
        node("fileBug", "http", { method: "POST", url: "https://bugs.example.com/issues", body: "{{ input }}" }),
        node("answer", "ai", { connectionId: CONNECTION_ID, model: "m", prompt: "{{ input.input }}" }),
        sink("doneOther"),
      ],
      [
        edge("src", "fetch"),
        edge("fetch", "classify"),
        edge("classify", "route"),
        edge("route", "approve", "urgent"),
        edge("approve", "notify"),
        edge("notify", "doneUrgent"),
        edge("route", "fan", "normal"),
        edge("fan", "enrich", "left"),
        edge("fan", "wait", "right"),
        edge("enrich", "join"),
        edge("wait", "join"),
        edge("join", "each"),
        edge("each", "perItem", "body"),
        edge("perItem", "poll"),
        edge("poll", "check", "body"),
        edge("poll", "summarize", null),
        edge("each", "done", null),
        edge("route", "triage", "other"),
        edge("triage", "fileBug", "bug"),
        edge("triage", "answer", "question"),
        edge("fileBug", "doneOther"),
        edge("answer", "doneOther"),
      ],
    ),
  };
}

describe("compileFlow", () => {
  it("compiles a realistic flow using every block type", () => {
    const flow = compileFlow(ticketFlow());
    expect(new Set([...flow.nodes.values()].map((n) => n.type))).toEqual(new Set(blockTypes));
    expect(flow.sourceId).toBe("src");
    expect(flow.sinkIds).toEqual(["doneUrgent", "done", "doneOther"]);
    expect(flow.graph).not.toHaveProperty("viewport");
  });

  it("gives nodes with parsed configs and defaults", () => {
    const flow = compileFlow(ticketFlow());
    const fetch = flow.node("fetch");
    expect(fetch).toMatchObject({ id: "fetch", type: "http", label: "Fetch ticket", timeoutMs: 10_000 });
    expect(fetch.retry).toEqual({ maxAttempts: 3, backoff: "exponential", initialDelayMs: 500, maxDelayMs: 30_000 });
    if (fetch.type !== "http") throw new Error("narrowing");
    expect(fetch.config.method).toBe("GET");
    const route = flow.node("route");
    if (route.type !== "router") throw new Error("narrowing");
    expect(route.config.mode).toBe("expression");
    expect(flow.node("each").config).toEqual({ over: "{{ input.items }}", maxIterations: 50 });
    expect(flow.node("src").retry).toBeUndefined();
    expect(() => flow.node("ghost")).toThrow('Unknown node "ghost"');
  });

  it("lists parents and children with handles", () => {
    const flow = compileFlow(ticketFlow());
    expect(flow.children("route").map((l) => [l.nodeId, l.sourceHandle])).toEqual([
      ["approve", "urgent"],
      ["fan", "normal"],
      ["triage", "other"],
    ]);
    expect(flow.children("route", "normal")).toEqual([
      { edgeId: "route:normal->fan", nodeId: "fan", sourceHandle: "normal", targetHandle: null },
    ]);
    expect(flow.children("each", "body").map((l) => l.nodeId)).toEqual(["perItem"]);
    expect(flow.children("each", null).map((l) => l.nodeId)).toEqual(["done"]);
    expect(flow.children("done")).toEqual([]);
    expect(flow.parents("join").map((l) => [l.nodeId, l.edgeId])).toEqual([
      ["enrich", "enrich->join"],
      ["wait", "wait->join"],
    ]);
    expect(flow.parents("src")).toEqual([]);
    expect(() => flow.parents("ghost")).toThrow();
  });

  it("finds loop bodies, their entries and exits, and nesting", () => {
    const flow = compileFlow(ticketFlow());
    expect(flow.loops.get("each")).toEqual({
      loopId: "each",
      bodyIds: ["perItem", "poll", "check", "summarize"],
      entryIds: ["perItem"],
      exitIds: ["summarize"],
      parentLoopId: null,
    });
    expect(flow.loops.get("poll")).toEqual({
      loopId: "poll",
      bodyIds: ["check"],
      entryIds: ["check"],
      exitIds: ["check"],
      parentLoopId: "each",
    });
    expect(flow.loopOf("check")).toBe("poll");
    expect(flow.loopOf("summarize")).toBe("each");
    expect(flow.loopOf("poll")).toBe("each");
    expect(flow.loopOf("each")).toBeNull();
    expect(flow.loopOf("done")).toBeNull();
  });

  it("counts a nested loop without continuation as an exit of the outer body", () => {
    const flow = compileFlow(
      graph(
        [src(), node("outer", "loop", { over: "{{ input }}" }), fn("a"), node("inner", "loop", { while: "false" }), fn("b"), sink()],
        [edge("src", "outer"), edge("outer", "a", "body"), edge("a", "inner"), edge("inner", "b", "body"), edge("outer", "out")],
      ),
    );
    expect(flow.loops.get("outer")?.exitIds).toEqual(["inner"]);
    expect(flow.loops.get("inner")?.exitIds).toEqual(["b"]);
  });

  it("gives join modes: the parallel's merge at its merge point, all elsewhere", () => {
    const flow = compileFlow(ticketFlow());
    expect(flow.joinMode("join")).toBe("any");
    expect(flow.joins.get("join")).toEqual({ mode: "any", parallelId: "fan" });
    expect(flow.joins.get("doneOther")).toEqual({ mode: "all", parallelId: null });
    expect([...flow.joins.keys()]).toEqual(["join", "doneOther"]);
    expect(flow.joinMode("fetch")).toBe("all");
    expect(flow.parallels.get("fan")).toEqual({
      parallelId: "fan",
      merge: "any",
      branchEdgeIds: ["fan:left->enrich", "fan:right->wait"],
      mergeNodeIds: ["join"],
    });
  });

  it("finds merge points of branches that merge in steps, and of nested parallels", () => {
    const flow = compileFlow(
      graph(
        [
          src(),
          node("p", "parallel", { merge: "first" }),
          fn("a"),
          fn("b"),
          node("q", "parallel", { merge: "any" }),
          fn("c1"),
          fn("c2"),
          fn("jq"),
          fn("jab"),
          fn("k"),
          fn("late"),
          fn("mix"),
          sink(),
        ],
        [
          edge("src", "p"),
          edge("p", "a", "x"),
          edge("p", "b", "y"),
          edge("p", "q", "z"),
          edge("q", "c1", "u"),
          edge("q", "c2", "v"),
          edge("c1", "jq"),
          edge("c2", "jq"),
          edge("a", "jab"),
          edge("b", "jab"),
          edge("jab", "k"),
          edge("jq", "k"),
          // irregular: k already holds branch x, meeting x again
          edge("a", "late"),
          edge("k", "late"),
          // a parent from outside the parallel
          edge("src", "mix"),
          edge("late", "mix"),
          edge("mix", "out"),
        ],
      ),
    );
    expect(Object.fromEntries([...flow.joins].map(([id, j]) => [id, `${j.mode}:${j.parallelId ?? "-"}`]))).toEqual({
      jq: "any:q",
      jab: "first:p",
      k: "first:p",
      late: "all:-",
      mix: "all:-",
    });
    expect(flow.parallels.get("p")?.mergeNodeIds).toEqual(["jab", "k"]);
    expect(flow.parallels.get("q")?.mergeNodeIds).toEqual(["jq"]);
  });

  it("merges direct edges from the parallel node too", () => {
    const flow = compileFlow(
      graph(
        [src(), node("p", "parallel", { merge: "first" }), fn("a"), fn("j"), sink()],
        [edge("src", "p"), edge("p", "a", "x"), edge("p", "j", "y"), edge("a", "j"), edge("j", "out")],
      ),
    );
    expect(flow.joinMode("j")).toBe("first");
  });

  it("orders nodes topologically, breaking ties by position in the node list", () => {
    const flow = compileFlow(ticketFlow());
    expect(flow.order).toEqual([
      "src",
      "fetch",
      "classify",
      "route",
      "approve",
      "notify",
      "doneUrgent",
      "fan",
      "enrich",
      "wait",
      "join",
      "each",
      "perItem",
      "poll",
      "check",
      "summarize",
      "done",
      "triage",
      "fileBug",
      "answer",
      "doneOther",
    ]);
    const position = new Map(flow.order.map((id, i) => [id, i]));
    for (const e of flow.edges) expect(position.get(e.source)!).toBeLessThan(position.get(e.target)!);
  });

  it("gives the same order whatever the order of the edges", () => {
    const g = ticketFlow();
    const reversed = { ...g, edges: [...g.edges].reverse() };
    expect(compileFlow(reversed).order).toEqual(compileFlow(g).order);
  });

  it("throws FlowValidationError with every problem", () => {
    const g = linear();
    g.nodes[1]!.data.config = { code: "" };
    g.nodes.push(fn("island"));
    let caught: unknown;
    try {
      compileFlow(g);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FlowValidationError);
    const problems = (caught as FlowValidationError).problems;
    expect(problems.map((p) => [p.code, p.nodeId])).toEqual([
      ["invalid_config", "fn"],
      ["unreachable_node", "island"],
    ]);
    expect((caught as Error).message).toContain('Block "fn": config.code must not be empty');
  });
});
