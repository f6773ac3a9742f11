import { FlowEdge, FlowNode, FLOW_LIMITS } from "@weft/flow";
import { z } from "zod";

const Name = z.string().trim().min(1, "Enter a name").max(200);
const Description = z.string().max(2000);
// Drafts may be invalid flows: only the shape of nodes and edges is checked here (validateFlow at publish).
const Nodes = z.array(FlowNode).max(FLOW_LIMITS.maxNodes, `must hold at most ${FLOW_LIMITS.maxNodes} blocks`);
const Edges = z.array(FlowEdge).max(FLOW_LIMITS.maxEdges, `must hold at most ${FLOW_LIMITS.maxEdges} connections`);

export const ListFlowsInput = z.object({
  /** Case-insensitive substring of the name. */
  search: z.string().trim().max(200).optional(),
  /** `nextCursor` of the previous page. */
  cursor: z.string().max(500).optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type ListFlowsInput = z.infer<typeof ListFlowsInput>;

export const FlowIdInput = z.object({ flowId: z.uuid() });
export type FlowIdInput = z.infer<typeof FlowIdInput>;

export const CreateFlowInput = z.object({
  name: Name,
  description: Description.optional(),
  nodes: Nodes.optional(),
  edges: Edges.optional(),
});
export type CreateFlowInput = z.infer<typeof CreateFlowInput>;

export const UpdateFlowInput = z.object({
  flowId: z.uuid(),
  /** The version the client last saw; a save against an older one is a 409. */
  version: z.number().int().min(1),
  name: Name.optional(),
  description: Description.optional(),
  nodes: Nodes.optional(),
  edges: Edges.optional(),
});
export type UpdateFlowInput = z.infer<typeof UpdateFlowInput>;
