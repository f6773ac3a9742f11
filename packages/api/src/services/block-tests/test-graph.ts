import { AppError } from "../../lib/errors";

/** Blocks that can run on their own; the others need a graph around them (loops, joins) or a person. */
export const TESTABLE_TYPES = ["ai", "function", "http", "router", "delay"] as const;

/** The node id a saved or unsaved block gets in its test graph (a flow's node keeps its own). */
export const BLOCK_NODE_ID = "block";

export type TestedNode = {
  id: string;
  type: string;
  /** The node's data: label, config, retry, timeoutMs (a reference to a saved block is resolved before). */
  data: { label?: string; config?: unknown; retry?: unknown; timeoutMs?: unknown };
};

type Node = { id: string; type: string; position: { x: number; y: number }; data: Record<string, unknown> };
type Edge = { id: string; source: string; target: string; sourceHandle?: string };

/** 400 naming `field` unless the block type can be tested on its own. */
export function requireTestable(type: string, field: string): void {
  if (!(TESTABLE_TYPES as readonly string[]).includes(type)) {
    throw new AppError("BAD_REQUEST", `${field}: a "${type}" block cannot be tested on its own (testable: ${TESTABLE_TYPES.join(", ")})`, { path: field });
  }
}

/**
 * The graph a test runs: the source (the test input, passed through), the block, and a sink its output
 * goes to (a router's every route and its default lead to the sink, so whichever it picks completes).
 */
export function testGraph(tested: TestedNode): { nodes: Node[]; edges: Edge[] } {
  const free = (base: string) => (tested.id === base ? `${base}_` : base);
  const [inId, outId] = [free("test_input"), free("test_output")];
  const { label, config, retry, timeoutMs } = tested.data;
  const data: Record<string, unknown> = { config: config ?? {} };
  if (label !== undefined) data.label = label;
  if (retry !== undefined) data.retry = retry;
  if (timeoutMs !== undefined) data.timeoutMs = timeoutMs;
  const nodes: Node[] = [
    { id: inId, type: "source", position: { x: 0, y: 0 }, data: { label: "Test input", config: {} } },
    { id: tested.id, type: tested.type, position: { x: 240, y: 0 }, data },
    { id: outId, type: "sink", position: { x: 480, y: 0 }, data: { label: "Test output", config: {} } },
  ];
  const edges: Edge[] = [{ id: `${inId}-${tested.id}`, source: inId, target: tested.id }];
  if (tested.type === "router") {
    const router = (config ?? {}) as { routes?: Array<{ handle?: unknown }>; default?: unknown };
    const handles = new Set<string>();
    for (const route of Array.isArray(router.routes) ? router.routes : []) if (typeof route?.handle === "string") handles.add(route.handle);
    if (typeof router.default === "string") handles.add(router.default);
    for (const handle of handles) edges.push({ id: `${tested.id}-${outId}-${handle}`, source: tested.id, target: outId, sourceHandle: handle });
  } else {
    edges.push({ id: `${tested.id}-${outId}`, source: tested.id, target: outId });
  }
  return { nodes, edges };
}
