import { and, artifacts, asc, eq } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { findExecution } from "../executions/execution-access";
import { artifactView, type ArtifactView } from "./artifact-view";
import { ListArtifactsInput } from "./schemas";

/** A run's files (all, or one step's), oldest first. Viewers read. */
export async function listArtifacts(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ artifacts: ArtifactView[] }> {
  const { executionId, nodeId } = parseInput(ListArtifactsInput, input);
  await findExecution(deps, { workspaceId: actor.workspaceId, executionId });
  const rows = await deps.db
    .select()
    .from(artifacts)
    .where(and(eq(artifacts.workspaceId, actor.workspaceId), eq(artifacts.executionId, executionId), nodeId ? eq(artifacts.nodeId, nodeId) : undefined))
    .orderBy(asc(artifacts.createdAt), asc(artifacts.id));
  return { artifacts: rows.map(artifactView) };
}
