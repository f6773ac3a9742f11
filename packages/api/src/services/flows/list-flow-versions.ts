import { and, desc, eq, flowVersions } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { findFlow } from "./find-flow";
import { flowVersionView, type FlowVersionSummary } from "./flow-view";
import { FlowIdInput } from "./schemas";

/** The flow's published snapshots, newest first (404 for a deleted flow or another workspace's). */
export async function listFlowVersions(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<FlowVersionSummary[]> {
  const { flowId } = parseInput(FlowIdInput, input);
  await findFlow(deps.db, { workspaceId: actor.workspaceId, flowId });
  return deps.db
    .select(flowVersionView)
    .from(flowVersions)
    .where(and(eq(flowVersions.flowId, flowId), eq(flowVersions.workspaceId, actor.workspaceId)))
    .orderBy(desc(flowVersions.version));
}
