import { and, artifacts, eq } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { findArtifact } from "./find-artifact";
import { ArtifactIdInput } from "./schemas";

/** Deletes a file of a run (members and up): its record, then its bytes. */
export async function deleteArtifact(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ ok: true }> {
  requireRole(actor.role, "member");
  const { executionId, artifactId } = parseInput(ArtifactIdInput, input);
  const row = await findArtifact(deps, { workspaceId: actor.workspaceId, executionId, artifactId });
  await deps.db.delete(artifacts).where(and(eq(artifacts.id, row.id), eq(artifacts.workspaceId, actor.workspaceId)));
  await deps.artifacts.storage.delete(row.storageKey);
  return { ok: true };
}
