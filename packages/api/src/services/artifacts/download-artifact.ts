import type { Readable } from "node:stream";
import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { artifactView, type ArtifactView } from "./artifact-view";
import { findArtifact } from "./find-artifact";
import { ArtifactIdInput } from "./schemas";

/**
 * A file of a run for download (viewers read): its record and, unless the caller already has these
 * bytes (`ifNoneMatch` equal to the SHA-256), a stream of them.
 */
export async function downloadArtifact(
  deps: Deps,
  { actor, input, ifNoneMatch }: { actor: Actor; input: unknown; ifNoneMatch?: string | null },
): Promise<{ artifact: ArtifactView; body: Readable | null }> {
  const { executionId, artifactId } = parseInput(ArtifactIdInput, input);
  const row = await findArtifact(deps, { workspaceId: actor.workspaceId, executionId, artifactId });
  const artifact = artifactView(row);
  const tags = (ifNoneMatch ?? "").split(",").map((t) => t.trim().replace(/^W\//, "").replace(/"/g, ""));
  if (tags.includes(row.sha256)) return { artifact, body: null };
  return { artifact, body: await deps.artifacts.storage.get(row.storageKey) };
}
