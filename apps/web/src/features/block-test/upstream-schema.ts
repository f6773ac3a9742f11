type NodeLike = { id: string; type?: string; data: { config?: unknown } };
type EdgeLike = { source: string; target: string };

/**
 * The `inputSchema` of the source when the node follows it directly (its only parent), else undefined:
 * the test input form is generated from it.
 */
export function upstreamInputSchema(nodeId: string, nodes: readonly NodeLike[], edges: readonly EdgeLike[]): unknown {
  const parents = edges.filter((e) => e.target === nodeId).map((e) => e.source);
  if (parents.length !== 1) return undefined;
  const parent = nodes.find((n) => n.id === parents[0]);
  if (parent?.type !== "source") return undefined;
  const config = parent.data.config;
  return config && typeof config === "object" ? (config as { inputSchema?: unknown }).inputSchema : undefined;
}
