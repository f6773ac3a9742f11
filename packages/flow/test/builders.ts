// Small builders for flow graphs in tests (plain JSON, like the canvas sends).

export interface TestNode {
  id: string;
  type: string;
  position: { x: number; y: number };
  data: Record<string, unknown> & { config?: unknown };
}

export interface TestEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

export interface TestGraph {
  nodes: TestNode[];
  edges: TestEdge[];
  [key: string]: unknown;
}

let x = 0;

export function node(id: string, type: string, config: unknown = {}, data: Record<string, unknown> = {}): TestNode {
  x += 10;
  return { id, type, position: { x, y: 0 }, data: { config, ...data } };
}

/** `edge("a", "b")`, `edge("r", "b", "yes")`; the id is derived from the ends and handle. */
export function edge(source: string, target: string, sourceHandle?: string | null, id?: string): TestEdge {
  return {
    id: id ?? `${source}${sourceHandle ? `:${sourceHandle}` : ""}->${target}`,
    source,
    target,
    ...(sourceHandle !== undefined ? { sourceHandle } : {}),
  };
}

export function graph(nodes: TestNode[], edges: TestEdge[]): TestGraph {
  return { nodes, edges };
}

export const CONNECTION_ID = "3f1c2a9e-8b4d-4c6e-9f0a-1b2c3d4e5f60";

export const fn = (id: string, code = "return input;") => node(id, "function", { code });
export const src = (id = "src") => node(id, "source");
export const sink = (id = "out", value?: unknown) => node(id, "sink", value === undefined ? {} : { value });

/** source -> fn -> sink: the smallest valid flow. */
export function linear(): TestGraph {
  return graph([src(), fn("fn"), sink()], [edge("src", "fn"), edge("fn", "out")]);
}
