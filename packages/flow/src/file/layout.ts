// Positions for nodes that have none (imported files, SDK flows), from dagre's layered layout, so an
// imported flow never piles up at 0,0. Left to right, like the builder's default.
import dagre from "@dagrejs/dagre";
import type { Position } from "../schema";

/** Builder node size (block-shell.tsx) and spacing. */
const NODE_WIDTH = 240;
const NODE_HEIGHT = 96;

export interface LayoutInput {
  nodes: readonly { id: string; position?: Position }[];
  edges: readonly { source: string; target: string }[];
}

/** Positions by node id for every node of the graph; nodes that have a position keep it. */
export function layoutPositions({ nodes, edges }: LayoutInput): Map<string, Position> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 48, ranksep: 96, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(nodes.map((n) => n.id));
  for (const node of nodes) g.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of edges) if (ids.has(edge.source) && ids.has(edge.target)) g.setEdge(edge.source, edge.target);
  dagre.layout(g);
  const out = new Map<string, Position>();
  for (const node of nodes) {
    if (node.position) {
      out.set(node.id, node.position);
      continue;
    }
    const laid = g.node(node.id) as { x: number; y: number } | undefined;
    // dagre gives centres; the canvas places nodes by their top-left corner.
    out.set(node.id, { x: Math.round((laid?.x ?? 0) - NODE_WIDTH / 2), y: Math.round((laid?.y ?? 0) - NODE_HEIGHT / 2) });
  }
  return out;
}
