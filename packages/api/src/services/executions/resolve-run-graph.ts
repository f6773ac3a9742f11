import { and, eq, flowVersions, type DbOrTx, type Flow } from "@weft/db";
import { AppError } from "../../lib/errors";
import type { Graph } from "./execution-access";

/**
 * The graph a run of this flow executes: `version` when given, else the published version, else the
 * draft (what triggers and the API run). 404 naming `version` for a version that does not exist.
 */
export async function resolveRunGraph(
  db: DbOrTx,
  { workspaceId, flow, version }: { workspaceId: string; flow: Pick<Flow, "id" | "nodes" | "edges" | "publishedVersion">; version?: number },
): Promise<{ graph: Graph; flowVersionId: string | null }> {
  const wanted = version ?? flow.publishedVersion;
  if (wanted == null) return { graph: { nodes: flow.nodes, edges: flow.edges }, flowVersionId: null };
  const [row] = await db
    .select({ id: flowVersions.id, nodes: flowVersions.nodes, edges: flowVersions.edges })
    .from(flowVersions)
    .where(and(eq(flowVersions.flowId, flow.id), eq(flowVersions.workspaceId, workspaceId), eq(flowVersions.version, wanted)));
  if (!row) throw new AppError("NOT_FOUND", `Version ${wanted} of this flow not found`, version != null ? { path: "version" } : undefined);
  return { graph: { nodes: row.nodes, edges: row.edges }, flowVersionId: row.id };
}
