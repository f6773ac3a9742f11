import type { Artifact } from "@weft/db";

export type ArtifactView = {
  id: string;
  executionId: string | null;
  nodeId: string | null;
  commentId: string | null;
  name: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: Date;
  /** Where to download it (an attachment). */
  downloadUrl: string;
};

export const artifactView = (a: Artifact): ArtifactView => ({
  id: a.id,
  executionId: a.executionId,
  nodeId: a.nodeId,
  commentId: a.commentId,
  name: a.name,
  contentType: a.contentType,
  sizeBytes: a.sizeBytes,
  sha256: a.sha256,
  createdAt: a.createdAt,
  downloadUrl: `/api/v1/executions/${a.executionId}/artifacts/${a.id}`,
});
