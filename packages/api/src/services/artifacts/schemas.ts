import { z } from "zod";
import { StepNodeId } from "../comments/schemas";

/** A file name as shown and downloaded: no folders, no control characters. */
export const ArtifactName = z
  .string()
  .trim()
  .min(1, "name the file")
  .max(255)
  .refine((name) => ![...name].some((ch) => ch === "/" || ch === "\\" || ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f) && name !== "." && name !== "..", "a file name without folders or control characters");

export const UploadArtifactMeta = z.object({
  executionId: z.uuid(),
  name: ArtifactName,
  /** The step the file belongs to; absent = the run. */
  nodeId: StepNodeId.optional(),
  /** The comment it is attached to. */
  commentId: z.uuid().optional(),
});
export type UploadArtifactMeta = z.infer<typeof UploadArtifactMeta>;

export const ListArtifactsInput = z.object({ executionId: z.uuid(), nodeId: StepNodeId.optional() });
export type ListArtifactsInput = z.infer<typeof ListArtifactsInput>;

export const ArtifactIdInput = z.object({ executionId: z.uuid(), artifactId: z.uuid() });
export type ArtifactIdInput = z.infer<typeof ArtifactIdInput>;
