import { flows, flowVersions } from "@weft/db";

/** A flow in lists: everything but the graph. */
export const flowSummaryView = {
  id: flows.id,
  name: flows.name,
  description: flows.description,
  version: flows.version,
  publishedVersion: flows.publishedVersion,
  enabled: flows.enabled,
  createdAt: flows.createdAt,
  updatedAt: flows.updatedAt,
};

/** A flow with its editable graph. */
export const flowView = {
  ...flowSummaryView,
  nodes: flows.nodes,
  edges: flows.edges,
  triggers: flows.triggers,
};

export type FlowSummary = {
  id: string;
  name: string;
  description: string;
  /** Optimistic-lock counter: send it back with `update`. */
  version: number;
  /** The newest published snapshot, or null while the flow is a draft. */
  publishedVersion: number | null;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
};

export type FlowView = FlowSummary & { nodes: unknown[]; edges: unknown[]; triggers: unknown[] };

/** A published snapshot, without its graph. */
export const flowVersionView = {
  id: flowVersions.id,
  flowId: flowVersions.flowId,
  version: flowVersions.version,
  createdBy: flowVersions.createdBy,
  createdAt: flowVersions.createdAt,
};

export type FlowVersionSummary = {
  id: string;
  flowId: string;
  version: number;
  createdBy: string | null;
  createdAt: Date;
};
