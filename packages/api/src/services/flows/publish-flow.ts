import { eq, flows, flowVersions, sql } from "@weft/db";
import { validateFlow, type FlowProblem } from "@weft/flow";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { resolveBlockRefs } from "../blocks/resolve-block-refs";
import { findFlow } from "./find-flow";
import { flowVersionView, type FlowVersionSummary } from "./flow-view";
import { FlowIdInput } from "./schemas";

const SHOWN_PROBLEMS = 20;

/**
 * Publishes the draft as an immutable snapshot numbered max+1, and points `published_version` at it,
 * in one transaction (the flow row is locked, so concurrent publishes get consecutive numbers). An
 * invalid flow is refused with a 400 listing its problems, and nothing is written.
 */
export async function publishFlow(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<FlowVersionSummary> {
  requireRole(actor.role, "member");
  const { flowId } = parseInput(FlowIdInput, input);
  return deps.db.transaction(async (tx) => {
    const flow = await findFlow(tx, { workspaceId: actor.workspaceId, flowId, lock: true });
    // Nodes using a saved block get its latest version's config, and that version is pinned.
    const resolved = await resolveBlockRefs(tx, { workspaceId: actor.workspaceId, graph: { nodes: flow.nodes, edges: flow.edges } });
    const result = validateFlow(resolved);
    if (!result.ok) throw new AppError("BAD_REQUEST", describeProblems(result.problems));
    const [{ next } = { next: 1 }] = await tx
      .select({ next: sql<number>`coalesce(max(${flowVersions.version}), 0)::int + 1` })
      .from(flowVersions)
      .where(eq(flowVersions.flowId, flowId));
    const [row] = await tx
      .insert(flowVersions)
      .values({
        workspaceId: actor.workspaceId,
        flowId,
        version: next,
        // The validated graph: what the engine will run, with defaults applied.
        nodes: withBlockRefs(result.graph.nodes, resolved.nodes),
        edges: result.graph.edges,
        triggers: flow.triggers,
        createdBy: actor.userId,
        createdAt: deps.now(),
      })
      .returning(flowVersionView);
    if (!row) throw new Error("flow version insert returned nothing");
    await tx.update(flows).set({ publishedVersion: next }).where(eq(flows.id, flowId));
    await audit(tx, actor, "flow.publish", { type: "flow", id: flowId }, { version: next });
    return row;
  });
}

/** The validated nodes with the pinned `data.blockRef` of the resolved ones (validation keeps only known data keys). */
function withBlockRefs<N extends { id: string; data: object }>(nodes: N[], resolved: readonly unknown[]): N[] {
  const refs = new Map<string, unknown>();
  for (const raw of resolved) {
    const node = raw as { id?: unknown; data?: { blockRef?: unknown } };
    if (typeof node.id === "string" && node.data?.blockRef) refs.set(node.id, node.data.blockRef);
  }
  return nodes.map((node) => (refs.has(node.id) ? { ...node, data: { ...node.data, blockRef: refs.get(node.id) } } : node));
}

function describeProblems(problems: FlowProblem[]): string {
  const shown = problems.slice(0, SHOWN_PROBLEMS).map((p) => p.message);
  const more = problems.length > SHOWN_PROBLEMS ? `; and ${problems.length - SHOWN_PROBLEMS} more` : "";
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return `This flow cannot be published: it has ${count}: ${shown.join("; ")}${more}`;
}
