import { describe, expect, it } from "vitest";
import { CONNECTION_ID, type TestGraph, edge, fn, graph, linear, node, sink, src } from "../test/builders";
import { type FlowProblem, type FlowProblemCode, flowProblemCodes, validateFlow } from "./validate";

interface Case {
  name: string;
  graph: () => unknown;
  expected: Partial<FlowProblem> & { code: FlowProblemCode };
}

/** linear() with one change. */
function tweak(change: (g: TestGraph) => void): () => TestGraph {
  return () => {
    const g = linear();
    change(g);
    return g;
  };
}

function nodeOf(g: TestGraph, id: string) {
  const found = g.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
}

/** src -> X -> out, X built by the caller, optionally with extra nodes and edges. */
function around(
  middle: ReturnType<typeof node>,
  extraNodes: ReturnType<typeof node>[] = [],
  extraEdges: ReturnType<typeof edge>[] = [],
  outHandle?: string,
): () => TestGraph {
  return () =>
    graph(
      [src(), middle, sink(), ...extraNodes],
      [edge("src", middle.id), edge(middle.id, "out", outHandle), ...extraEdges],
    );
}

const loopFlow = (extra: (g: TestGraph) => void = () => {}) => {
  return () => {
    const g = graph(
      [src(), node("each", "loop", { over: "{{ input.items }}" }), fn("body1"), fn("body2"), sink()],
      [edge("src", "each"), edge("each", "body1", "body"), edge("body1", "body2"), edge("each", "out", null)],
    );
    extra(g);
    return g;
  };
};

const cases: Case[] = [
  // shape
  { name: "graph is not an object", graph: () => null, expected: { code: "invalid_graph", path: undefined } },
  { name: "nodes is not an array", graph: () => ({ nodes: {}, edges: [] }), expected: { code: "invalid_graph", path: "nodes" } },
  { name: "edges missing", graph: () => ({ nodes: [] }), expected: { code: "invalid_graph", path: "edges" } },
  {
    name: "bad position",
    graph: tweak((g) => (nodeOf(g, "fn").position = { x: "1", y: 0 } as never)),
    expected: { code: "invalid_graph", nodeId: "fn", path: "position.x" },
  },
  {
    name: "bad retry",
    graph: tweak((g) => (nodeOf(g, "fn").data.retry = { maxAttempts: 0 })),
    expected: { code: "invalid_graph", nodeId: "fn", path: "retry.maxAttempts" },
  },
  {
    name: "unknown retry key",
    graph: tweak((g) => (nodeOf(g, "fn").data.retry = { maxAttempt: 3 })),
    expected: { code: "invalid_graph", nodeId: "fn", path: "retry.maxAttempt" },
  },
  {
    name: "bad timeoutMs",
    graph: tweak((g) => (nodeOf(g, "fn").data.timeoutMs = -5)),
    expected: { code: "invalid_graph", nodeId: "fn", path: "timeoutMs" },
  },
  {
    name: "node id with a space",
    graph: () => graph([src(), fn("my fn"), sink()], [edge("src", "my fn"), edge("my fn", "out")]),
    expected: { code: "invalid_graph", nodeId: "my fn", path: "id" },
  },
  {
    name: "node without an id",
    graph: tweak((g) => g.nodes.push({ type: "function", position: { x: 0, y: 0 }, data: {} } as never)),
    expected: { code: "invalid_graph", nodeId: undefined, path: "nodes[3].id" },
  },
  {
    name: "node without data",
    graph: tweak((g) => delete (nodeOf(g, "fn") as { data?: unknown }).data),
    expected: { code: "invalid_graph", nodeId: "fn", path: "data" },
  },
  {
    name: "edge without a target",
    graph: tweak((g) => delete (g.edges[0] as { target?: string }).target),
    expected: { code: "invalid_graph", edgeId: "src->fn", path: "target" },
  },
  // ids
  {
    name: "duplicate node id",
    graph: tweak((g) => g.nodes.push(fn("fn"))),
    expected: { code: "duplicate_node_id", nodeId: "fn", path: "id" },
  },
  {
    name: "duplicate edge id",
    graph: tweak((g) => g.edges.push(edge("src", "out", undefined, "src->fn"))),
    expected: { code: "duplicate_edge_id", edgeId: "src->fn", path: "id" },
  },
  {
    name: "same connection drawn twice",
    graph: tweak((g) => g.edges.push(edge("src", "fn", undefined, "again"))),
    expected: { code: "duplicate_edge", edgeId: "again" },
  },
  // types and configs
  {
    name: "unknown block type",
    graph: tweak((g) => (nodeOf(g, "fn").type = "transmogrify")),
    expected: { code: "unknown_block_type", nodeId: "fn", path: "type" },
  },
  {
    name: "function without code",
    graph: tweak((g) => (nodeOf(g, "fn").data.config = { code: "  " })),
    expected: { code: "invalid_config", nodeId: "fn", path: "config.code" },
  },
  {
    name: "function config missing",
    graph: tweak((g) => delete nodeOf(g, "fn").data.config),
    expected: { code: "invalid_config", nodeId: "fn", path: "config.code" },
  },
  {
    name: "router route with an empty when",
    graph: around(node("r", "router", { routes: [{ handle: "a", when: "" }] }), [], [], "a"),
    expected: { code: "invalid_config", nodeId: "r", path: "config.routes[0].when" },
  },
  {
    name: "router with duplicate handles",
    graph: around(
      node("r", "router", { routes: [{ handle: "a", when: "1" }, { handle: "a", when: "2" }] }),
      [],
      [],
      "a",
    ),
    expected: { code: "invalid_config", nodeId: "r", path: "config.routes[1].handle" },
  },
  {
    name: "ai router without a prompt",
    graph: around(
      node("r", "router", { mode: "ai", connectionId: CONNECTION_ID, model: "gpt", routes: [{ handle: "a", when: "x" }] }),
      [],
      [],
      "a",
    ),
    expected: { code: "invalid_config", nodeId: "r", path: "config.prompt" },
  },
  {
    name: "http with a misspelled key",
    graph: around(node("h", "http", { url: "https://x.test", metod: "POST" })),
    expected: { code: "invalid_config", nodeId: "h", path: "config.metod" },
  },
  {
    name: "http with a bad method",
    graph: around(node("h", "http", { url: "https://x.test", method: "FETCH" })),
    expected: { code: "invalid_config", nodeId: "h", path: "config.method" },
  },
  {
    name: "http with a bad header name",
    graph: around(node("h", "http", { url: "https://x.test", headers: { "bad header": "x" } })),
    expected: { code: "invalid_config", nodeId: "h", path: 'config.headers["bad header"]' },
  },
  {
    name: "loop with both over and while",
    graph: loopFlow((g) => (nodeOf(g, "each").data.config = { over: "{{ input.items }}", while: "true" })),
    expected: { code: "invalid_config", nodeId: "each", path: "config.while" },
  },
  {
    name: "loop with neither over nor while",
    graph: loopFlow((g) => (nodeOf(g, "each").data.config = { maxIterations: 3 })),
    expected: { code: "invalid_config", nodeId: "each", path: "config" },
  },
  {
    name: "loop with too many iterations",
    graph: loopFlow((g) => (nodeOf(g, "each").data.config = { while: "true", maxIterations: 10_001 })),
    expected: { code: "invalid_config", nodeId: "each", path: "config.maxIterations" },
  },
  {
    name: "ai with a bad connection id",
    graph: around(node("ai", "ai", { connectionId: "nope", model: "m", prompt: "hi" })),
    expected: { code: "invalid_config", nodeId: "ai", path: "config.connectionId" },
  },
  {
    name: "ai with a bad tool name",
    graph: around(
      node("ai", "ai", {
        connectionId: CONNECTION_ID,
        model: "m",
        prompt: "hi",
        tools: [{ name: "1tool", description: "d", inputSchema: { type: "object" }, code: "return 1;" }],
      }),
    ),
    expected: { code: "invalid_config", nodeId: "ai", path: "config.tools[0].name" },
  },
  {
    name: "ai with temperature out of range",
    graph: around(node("ai", "ai", { connectionId: CONNECTION_ID, model: "m", prompt: "hi", temperature: 3 })),
    expected: { code: "invalid_config", nodeId: "ai", path: "config.temperature" },
  },
  {
    name: "source with a bad schema type",
    graph: tweak((g) => (nodeOf(g, "src").data.config = { inputSchema: { type: "map" } })),
    expected: { code: "invalid_config", nodeId: "src", path: "config.inputSchema.type" },
  },
  {
    name: "delay longer than 7 days",
    graph: around(node("d", "delay", { ms: 8 * 24 * 3600 * 1000 })),
    expected: { code: "invalid_config", nodeId: "d", path: "config.ms" },
  },
  {
    name: "approval without a message",
    graph: around(node("ok", "approval", {})),
    expected: { code: "invalid_config", nodeId: "ok", path: "config.message" },
  },
  {
    name: "parallel with a bad merge",
    graph: around(node("p", "parallel", { merge: "some" })),
    expected: { code: "invalid_config", nodeId: "p", path: "config.merge" },
  },
  // edges
  {
    name: "edge from a missing node",
    graph: tweak((g) => g.edges.push(edge("ghost", "fn"))),
    expected: { code: "dangling_edge", edgeId: "ghost->fn", path: "source" },
  },
  {
    name: "edge to a missing node",
    graph: tweak((g) => g.edges.push(edge("fn", "ghost"))),
    expected: { code: "dangling_edge", edgeId: "fn->ghost", path: "target" },
  },
  {
    name: "edge into the source",
    graph: tweak((g) => g.edges.push(edge("fn", "src"))),
    expected: { code: "edge_into_source", edgeId: "fn->src", nodeId: "src" },
  },
  {
    name: "edge out of a sink",
    graph: tweak((g) => {
      g.nodes.push(fn("after"));
      g.edges.push(edge("out", "after"));
    }),
    expected: { code: "edge_out_of_sink", edgeId: "out->after", nodeId: "out" },
  },
  {
    name: "router edge by an unknown handle",
    graph: around(node("r", "router", { routes: [{ handle: "yes", when: "input.ok" }], default: "no" }), [], [], "maybe"),
    expected: { code: "unknown_handle", nodeId: "r", edgeId: "r:maybe->out", path: "sourceHandle" },
  },
  {
    name: "router edge without a handle",
    graph: around(node("r", "router", { routes: [{ handle: "yes", when: "input.ok" }] })),
    expected: { code: "unknown_handle", nodeId: "r", edgeId: "r->out", path: "sourceHandle" },
  },
  {
    name: "parallel edge by a handle not in branches",
    graph: around(node("p", "parallel", { branches: ["a", "b"] }), [], [], "c"),
    expected: { code: "unknown_handle", nodeId: "p", edgeId: "p:c->out", path: "sourceHandle" },
  },
  {
    name: "loop edge by an unknown handle",
    graph: loopFlow((g) => g.edges.push(edge("each", "out", "done"))),
    expected: { code: "unknown_handle", nodeId: "each", edgeId: "each:done->out", path: "sourceHandle" },
  },
  // structure
  {
    name: "cycle of plain blocks",
    graph: () =>
      graph(
        [src(), fn("a"), fn("b"), fn("c"), sink()],
        [edge("src", "a"), edge("a", "b"), edge("b", "c"), edge("c", "a"), edge("c", "out")],
      ),
    expected: { code: "cycle", nodeId: "a", edgeId: "c->a" },
  },
  {
    name: "self loop",
    graph: tweak((g) => g.edges.push(edge("fn", "fn"))),
    expected: { code: "cycle", nodeId: "fn", edgeId: "fn->fn" },
  },
  {
    name: "loop body connected back to the loop",
    graph: loopFlow((g) => g.edges.push(edge("body2", "each"))),
    expected: { code: "cycle", nodeId: "each", edgeId: "body2->each" },
  },
  {
    name: "loop body connected back to a block before the loop",
    graph: loopFlow((g) => {
      g.nodes.push(fn("before"));
      g.edges.splice(0, 1, edge("src", "before"), edge("before", "each"));
      g.edges.push(edge("body2", "before"));
    }),
    expected: { code: "cycle", nodeId: "each", edgeId: "before->each" },
  },
  {
    name: "loop without a body",
    graph: loopFlow((g) => (g.edges = g.edges.filter((e) => e.source !== "each" || e.sourceHandle !== "body"))),
    expected: { code: "empty_loop_body", nodeId: "each" },
  },
  {
    name: "edge into a loop body from outside",
    graph: loopFlow((g) => g.edges.push(edge("src", "body2"))),
    expected: { code: "edge_into_loop_body", nodeId: "body2", edgeId: "src->body2" },
  },
  {
    name: "loop's continuation joining its body",
    graph: loopFlow((g) => g.edges.push(edge("each", "body2", null, "each-cont->body2"))),
    expected: { code: "edge_into_loop_body", nodeId: "body2", edgeId: "each-cont->body2" },
  },
  {
    name: "sink inside a loop body",
    graph: loopFlow((g) => {
      g.nodes.push(sink("inner"));
      g.edges.push(edge("body2", "inner"));
    }),
    expected: { code: "sink_in_loop_body", nodeId: "inner" },
  },
  {
    name: "unreachable block",
    graph: tweak((g) => g.nodes.push(fn("island"))),
    expected: { code: "unreachable_node", nodeId: "island" },
  },
  {
    name: "unreachable chain",
    graph: tweak((g) => {
      g.nodes.push(fn("i1"), fn("i2"));
      g.edges.push(edge("i1", "i2"), edge("i2", "out"));
    }),
    expected: { code: "unreachable_node", nodeId: "i2" },
  },
  {
    name: "no source",
    graph: () => graph([fn("fn"), sink()], [edge("fn", "out")]),
    expected: { code: "missing_source" },
  },
  {
    name: "two sources",
    graph: tweak((g) => {
      g.nodes.push(src("src2"));
      g.edges.push(edge("src2", "fn"));
    }),
    expected: { code: "multiple_sources", nodeId: "src2" },
  },
  {
    name: "no sink",
    graph: () => graph([src(), fn("fn")], [edge("src", "fn")]),
    expected: { code: "missing_sink" },
  },
  // templates
  {
    name: "template with an unknown root",
    graph: around(node("h", "http", { url: "https://x.test/{{ foo.bar }}" })),
    expected: { code: "invalid_template", nodeId: "h", path: "config.url" },
  },
  {
    name: "unclosed template deep in a body",
    graph: around(node("h", "http", { url: "https://x.test", method: "POST", body: { a: ["ok", "{{ input.x"] } })),
    expected: { code: "invalid_template", nodeId: "h", path: "config.body.a[1]" },
  },
  {
    name: "reference to an unknown node",
    graph: tweak((g) => (nodeOf(g, "out").data.config = { value: { result: "{{ nodes.ghost.output }}" } })),
    expected: { code: "unknown_node_reference", nodeId: "out", path: "config.value.result" },
  },
  {
    name: "reference to an unknown node in a header",
    graph: around(node("h", "http", { url: "https://x.test", headers: { authorization: "Bearer {{ nodes.tok.output }}" } })),
    expected: { code: "unknown_node_reference", nodeId: "h", path: "config.headers.authorization" },
  },
  {
    name: "reference to a node that runs later",
    graph: () =>
      graph(
        [src(), node("h", "http", { url: "https://x.test/{{ nodes.later.output }}" }), fn("later"), sink()],
        [edge("src", "h"), edge("h", "later"), edge("later", "out")],
      ),
    expected: { code: "reference_not_upstream", nodeId: "h", path: "config.url" },
  },
  {
    name: "reference to a parallel sibling",
    graph: () =>
      graph(
        [src(), node("p", "parallel"), fn("a"), node("b", "approval", { message: "ok {{ nodes.a.output }}?" }), fn("j"), sink()],
        [edge("src", "p"), edge("p", "a", "x"), edge("p", "b", "y"), edge("a", "j"), edge("b", "j"), edge("j", "out")],
      ),
    expected: { code: "reference_not_upstream", nodeId: "b", path: "config.message" },
  },
  {
    name: "reference to its own output",
    graph: around(node("ok", "approval", { message: "{{ nodes.ok.output }}" })),
    expected: { code: "reference_not_upstream", nodeId: "ok", path: "config.message" },
  },
  {
    name: "reference to the enclosing loop from its body",
    graph: loopFlow((g) => {
      g.nodes.push(node("h", "http", { url: "https://x.test/{{ nodes.each.output }}" }));
      g.edges.push(edge("body2", "h"));
    }),
    expected: { code: "reference_not_upstream", nodeId: "h", path: "config.url" },
  },
];

describe("validateFlow", () => {
  it("covers every problem code", () => {
    // unknown_variable needs the workspace's variables (variables.test.ts), unknown_block_ref its saved blocks (api block-tests.test.ts).
    const covered = new Set([...cases.map((c) => c.expected.code), "unknown_variable", "unknown_block_ref"]);
    expect(flowProblemCodes.filter((code) => !covered.has(code))).toEqual([]);
  });

  it.each(cases)("$name -> $expected.code", ({ graph: build, expected }) => {
    const result = validateFlow(build());
    expect(result.ok).toBe(false);
    const match = result.problems.find(
      (p) =>
        p.code === expected.code &&
        p.nodeId === expected.nodeId &&
        p.edgeId === (expected.edgeId ?? p.edgeId) &&
        p.path === expected.path,
    );
    if (!match) {
      expect.fail(`expected ${JSON.stringify(expected)} among\n${JSON.stringify(result.problems, null, 2)}`);
    }
    expect(match.message.length).toBeGreaterThan(10);
    if (match.nodeId !== undefined) expect(match.message).toContain(match.nodeId);
    if (match.path !== undefined && match.edgeId === undefined && match.code !== "invalid_graph") expect(match.message).toContain(match.path);
  });

  it("accepts the smallest flow and returns it parsed", () => {
    const result = validateFlow(linear());
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it("ignores canvas extras (viewport, measured, selected, edge styles)", () => {
    const g = linear() as TestGraph & Record<string, unknown>;
    g.viewport = { x: 0, y: 0, zoom: 1 };
    Object.assign(g.nodes[1]!, { measured: { width: 10, height: 5 }, selected: true, dragging: false });
    Object.assign(g.nodes[1]!.data, { color: "red" });
    Object.assign(g.edges[0]!, { animated: true, style: { stroke: "red" }, sourceHandle: null, targetHandle: null });
    const result = validateFlow(g);
    expect(result.problems).toEqual([]);
    expect(result.graph).not.toHaveProperty("viewport");
  });

  it("reports every problem at once, not only the first", () => {
    const g = graph(
      [
        src(),
        fn("a", ""),
        node("r", "router", { routes: [{ handle: "yes", when: "input.ok" }] }),
        node("x", "magic"),
        fn("island"),
      ],
      [edge("src", "a"), edge("a", "r"), edge("r", "x", "no"), edge("x", "ghost")],
    );
    const codes = validateFlow(g).problems.map((p) => `${p.code}:${p.nodeId ?? p.edgeId ?? ""}`);
    expect(codes).toEqual([
      "invalid_config:a",
      "unknown_block_type:x",
      "unknown_handle:r",
      "dangling_edge:x->ghost",
      "missing_sink:",
      "unreachable_node:island",
    ]);
  });

  it("writes messages a user understands", () => {
    const g = linear();
    nodeOf(g, "fn").data.label = "Summarize";
    nodeOf(g, "fn").data.config = { code: "" };
    g.edges.push(edge("fn", "fn"));
    const messages = validateFlow(g).problems.map((p) => p.message);
    expect(messages).toEqual([
      'Block "Summarize" (fn): config.code must not be empty',
      'Block "Summarize" (fn) is on a cycle (fn → fn): a flow cannot go back to an earlier block; to repeat steps, use a loop block',
    ]);
  });

  it("reports a cycle once, with its path", () => {
    const g = graph(
      [src(), fn("a"), fn("b"), fn("c"), sink()],
      [edge("src", "a"), edge("a", "b"), edge("b", "c"), edge("c", "a"), edge("b", "a"), edge("c", "out")],
    );
    const cycles = validateFlow(g).problems.filter((p) => p.code === "cycle");
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.message).toContain("(a → b → a)");
  });

  it("does not cascade from a node with a broken shape", () => {
    const g = linear();
    nodeOf(g, "fn").position = undefined as never;
    const problems = validateFlow(g).problems;
    expect(problems.map((p) => p.code)).toEqual(["invalid_graph"]);
  });

  it("accepts a router whose edges use its route and default handles", () => {
    const g = graph(
      [
        src(),
        node("r", "router", { routes: [{ handle: "yes", when: "input.ok" }], default: "no" }),
        sink("a"),
        sink("b"),
      ],
      [edge("src", "r"), edge("r", "a", "yes"), edge("r", "b", "no")],
    );
    expect(validateFlow(g).problems).toEqual([]);
  });

  it("accepts templates that reference upstream nodes, the trigger and env", () => {
    const g = graph(
      [
        src(),
        node("fetch-1", "http", { url: "{{ env.BASE }}/users/{{ trigger.body.id }}" }),
        fn("shape"),
        sink("out", { status: "{{ nodes.fetch-1.output.status }}", user: "{{ nodes.shape.output }}", raw: 1 }),
      ],
      [edge("src", "fetch-1"), edge("fetch-1", "shape"), edge("shape", "out")],
    );
    expect(validateFlow(g).problems).toEqual([]);
  });

  it("does not treat code and expressions as templates", () => {
    const g = graph(
      [
        src(),
        fn("f", "const s = '{{ nodes.nope.output }}'; return s;"),
        node("r", "router", { routes: [{ handle: "a", when: "input === '{{ bad'" }] }),
        sink(),
      ],
      [edge("src", "f"), edge("f", "r"), edge("r", "out", "a")],
    );
    expect(validateFlow(g).problems).toEqual([]);
  });

  it("refuses flows over the size limit without analysing them", () => {
    const nodes = Array.from({ length: 1001 }, (_, i) => fn(`n${i}`));
    const result = validateFlow(graph(nodes, []));
    expect(result.problems).toEqual([expect.objectContaining({ code: "invalid_graph", path: "nodes" })]);
  });

  it("handles long chains without deep recursion", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `n${i}`);
    const nodes = [src(), ...ids.slice(2).map((id) => fn(id)), sink()];
    const chain = ["src", ...ids.slice(2), "out"];
    const edges = chain.slice(1).map((id, i) => edge(chain[i]!, id));
    expect(validateFlow(graph(nodes, edges)).problems).toEqual([]);
  });
});
