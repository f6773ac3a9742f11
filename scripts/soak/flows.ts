/**
 * The soak's mixed flows, created through the public API. Every run gets a unique `tag` in its input;
 * nodes that call the local HTTP target carry it (and the node id and loop index) in the URL, so each
 * call is attributed to its run, node and iteration without knowing engine internals. Every flow is
 * meant to complete: a run that fails or is cancelled is a miss.
 */
export type FlowKind = "functions" | "http" | "delay" | "loop" | "approval" | "retry";

type Node = { id: string; type: string; position: { x: number; y: number }; data: Record<string, unknown> };
type Edge = { id: string; source: string; target: string; sourceHandle?: string };
export type FlowSpec = { kind: FlowKind; weight: number; nodes: Node[]; edges: Edge[]; input: (tag: string) => Record<string, unknown> };

const node = (id: string, type: string, config: Record<string, unknown> = {}, data: Record<string, unknown> = {}): Node => ({
  id,
  type,
  position: { x: 0, y: 0 },
  data: { config, ...data },
});
const edge = (source: string, target: string, sourceHandle?: string): Edge => ({
  id: `${source}->${target}${sourceHandle ? `:${sourceHandle}` : ""}`,
  source,
  target,
  ...(sourceHandle ? { sourceHandle } : {}),
});
const chain = (...ids: string[]) => ids.slice(1).map((id, i) => edge(ids[i]!, id));

/** Passes the run's tag on (downstream templates read `input.tag`). */
const pass = (extra: string) => ({ code: `return { ...input, ${extra} };` });

/** The HTTP target's URL for one call: `/<path>?tag=..&node=..[&i=..]`. */
const callUrl = (base: string, path: string, nodeId: string, tagExpr: string, index?: string) =>
  `${base}/${path}?tag={{ ${tagExpr} }}&node=${nodeId}${index ? `&i={{ ${index} }}` : ""}`;

/** The flows, with their share of the load (weights sum to 1). `base`: the HTTP target's origin. */
export function soakFlows(base: string): FlowSpec[] {
  const tagged = (tag: string) => ({ tag });
  return [
    {
      kind: "functions",
      weight: 0.3,
      nodes: [node("in", "source"), node("a", "function", pass("a: 1")), node("b", "function", pass("b: input.a + 1")), node("c", "function", pass("c: input.b * 2")), node("out", "sink")],
      edges: chain("in", "a", "b", "c", "out"),
      input: tagged,
    },
    {
      kind: "http",
      weight: 0.2,
      nodes: [
        node("in", "source"),
        node("prep", "function", pass("prepared: true")),
        node("fetch", "http", { method: "POST", url: callUrl(base, "slow", "fetch", "input.tag"), body: { tag: "{{ input.tag }}" } }),
        node("out", "sink"),
      ],
      edges: chain("in", "prep", "fetch", "out"),
      input: tagged,
    },
    {
      kind: "delay",
      weight: 0.15,
      nodes: [node("in", "source"), node("wait", "delay", { ms: 2_000 }), node("after", "function", pass("waited: true")), node("out", "sink")],
      edges: chain("in", "wait", "after", "out"),
      input: tagged,
    },
    {
      kind: "loop",
      weight: 0.15,
      nodes: [
        node("in", "source"),
        node("each", "loop", { over: "{{ input.items }}", maxIterations: 10 }),
        node("shape", "function", { code: "return { tag: input.item.tag, index: input.index, n: input.item.n * 10 };" }),
        node("item", "http", { method: "POST", url: callUrl(base, "quick", "item", "input.tag", "input.index"), body: { n: "{{ input.n }}" } }),
        node("out", "sink"),
      ],
      edges: [edge("in", "each"), edge("each", "shape", "body"), edge("shape", "item"), edge("each", "out")],
      input: (tag) => ({ tag, items: [1, 2, 3].map((n) => ({ tag, n })) }),
    },
    {
      kind: "approval",
      weight: 0.1,
      nodes: [node("in", "source"), node("ask", "approval", { message: "Ship {{ input.tag }}?" }), node("after", "function", { code: "return { approved: input.approved };" }), node("out", "sink")],
      edges: chain("in", "ask", "after", "out"),
      input: tagged,
    },
    {
      kind: "retry",
      weight: 0.1,
      nodes: [
        node("in", "source"),
        node("flaky", "http", { method: "POST", url: callUrl(base, "flaky", "flaky", "input.tag") }, { retry: { maxAttempts: 6, initialDelayMs: 200, maxDelayMs: 1_000 } }),
        node("out", "sink"),
      ],
      edges: chain("in", "flaky", "out"),
      input: tagged,
    },
  ];
}

/** Picks a flow by weight for a uniform `r` in [0, 1). */
export function pickFlow<T extends { weight: number }>(flows: T[], r: number): T {
  let acc = 0;
  for (const flow of flows) {
    acc += flow.weight;
    if (r < acc) return flow;
  }
  return flows.at(-1)!;
}
