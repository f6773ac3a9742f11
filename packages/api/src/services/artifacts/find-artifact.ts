import { and, artifacts, eq, type Artifact } from "@weft/db";
import type { Deps } from "../../lib/context";
import { notFound } from "../../lib/errors";

/** An artifact of this execution in this workspace, or 404 (also for another workspace's ids). */
export async function findArtifact(deps: Deps, { workspaceId, executionId, artifactId }: { workspaceId: string; executionId: string; artifactId: string }): Promise<Artifact> {
  const [row] = await deps.db
    .select()
    .from(artifacts)
    .where(and(eq(artifacts.id, artifactId), eq(artifacts.workspaceId, workspaceId), eq(artifacts.executionId, executionId)));
  if (!row) throw notFound("Artifact");
  return row;
}
