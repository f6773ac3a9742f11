import { FlowEdge, FlowNode } from "@weft/flow";
import type { BuilderEdge, BuilderNode } from "./store";

// Copy and paste of blocks: the selected nodes and the edges between them travel as JSON text on the
// system clipboard, so they paste into another flow, another tab, or a colleague's browser.

const MARKER = "weft/blocks";
const PASTE_OFFSET = 40;

export type ClipboardGraph = { nodes: FlowNode[]; edges: FlowEdge[] };

/** The selected nodes and the edges whose both ends are selected, or null when nothing is selected. */
export function copySelection(nodes: BuilderNode[], edges: BuilderEdge[]): ClipboardGraph | null {
  const picked = nodes.filter((n) => n.selected);
  if (picked.length === 0) return null;
  const ids = new Set(picked.map((n) => n.id));
  return {
    nodes: picked.map((n) => ({
      id: n.id,
      type: n.type ?? "function",
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
      data: structuredClone(pickData(n.data)),
    })),
    edges: edges
      .filter((e) => ids.has(e.source) && ids.has(e.target))
      .map((e) => ({ id: e.id, source: e.source, target: e.target, sourceHandle: e.sourceHandle ?? null, targetHandle: e.targetHandle ?? null })),
  };
}

function pickData(data: BuilderNode["data"]): FlowNode["data"] {
  const { label, phase, config, retry, timeoutMs } = data;
  const picked = { label, phase, config, retry, timeoutMs } as FlowNode["data"];
  for (const key of Object.keys(picked) as (keyof typeof picked)[]) if (picked[key] === undefined) delete picked[key];
  return picked;
}

export function serializeClipboard(graph: ClipboardGraph): string {
  return JSON.stringify({ [MARKER]: 1, ...graph });
}

/** Blocks copied from a Weft canvas, or null for any other text. */
export function parseClipboard(text: string): ClipboardGraph | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== "object" || (value as Record<string, unknown>)[MARKER] !== 1) return null;
  const { nodes, edges } = value as { nodes?: unknown; edges?: unknown };
  if (!Array.isArray(nodes) || !Array.isArray(edges)) return null;
  const parsedNodes: FlowNode[] = [];
  for (const raw of nodes) {
    const parsed = FlowNode.safeParse(raw);
    if (!parsed.success) return null;
    parsedNodes.push(parsed.data);
  }
  const ids = new Set(parsedNodes.map((n) => n.id));
  const parsedEdges: FlowEdge[] = [];
  for (const raw of edges) {
    const parsed = FlowEdge.safeParse(raw);
    if (!parsed.success) return null;
    if (ids.has(parsed.data.source) && ids.has(parsed.data.target)) parsedEdges.push(parsed.data);
  }
  return parsedNodes.length > 0 ? { nodes: parsedNodes, edges: parsedEdges } : null;
}

/** A free id `<type>_<n>`, the same scheme as blocks added from the palette. */
export function nextNodeId(type: string, taken: ReadonlySet<string>): string {
  for (let i = 1; ; i++) {
    const id = `${type}_${i}`;
    if (!taken.has(id)) return id;
  }
}

/**
 * The clipboard's nodes and edges as new canvas items: fresh ids (edges follow), positions moved by
 * `times` offsets (a second paste of the same blocks lands beside the first), all of them selected.
 */
export function materialize(graph: ClipboardGraph, existing: BuilderNode[], times = 1): { nodes: BuilderNode[]; edges: BuilderEdge[] } {
  const taken = new Set(existing.map((n) => n.id));
  const rename = new Map<string, string>();
  const offset = PASTE_OFFSET * times;
  const nodes = graph.nodes.map((node): BuilderNode => {
    const id = nextNodeId(node.type, taken);
    taken.add(id);
    rename.set(node.id, id);
    return {
      id,
      type: node.type,
      position: { x: node.position.x + offset, y: node.position.y + offset },
      data: structuredClone(node.data),
      selected: true,
    };
  });
  const edges = graph.edges.flatMap((edge): BuilderEdge[] => {
    const source = rename.get(edge.source);
    const target = rename.get(edge.target);
    if (!source || !target) return [];
    const sourceHandle = edge.sourceHandle ?? null;
    const targetHandle = edge.targetHandle ?? null;
    // The id scheme of @xyflow/react's addEdge.
    return [{ id: `xy-edge__${source}${sourceHandle ?? ""}-${target}${targetHandle ?? ""}`, source, target, sourceHandle, targetHandle, selected: true }];
  });
  return { nodes, edges };
}
