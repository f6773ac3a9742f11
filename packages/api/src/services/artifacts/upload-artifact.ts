import { and, artifacts, comments, eq, sql, type DbOrTx } from "@weft/db";
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { Actor, Deps } from "../../lib/context";
import { AppError, notFound } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { findExecution, requireStepOf } from "../executions/execution-access";
import { artifactView, type ArtifactView } from "./artifact-view";
import { baseContentType, contentTypeAllowed } from "./content-types";
import { ByteLimitError, meterStream } from "./metered-stream";
import { UploadArtifactMeta } from "./schemas";

export type ArtifactUpload = {
  /** executionId, name, nodeId?, commentId? (validated here). */
  meta: Record<string, unknown>;
  /** The Content-Type the client declared for the file (415 unless allowed). */
  contentType: string | null | undefined;
  /** The declared length, when known: refused at once when over the limit. */
  contentLength?: number | null;
  body: Readable;
};

/** Bytes of artifacts the workspace keeps now. */
async function usedBytes(db: DbOrTx, workspaceId: string): Promise<number> {
  const [row] = await db
    .select({ used: sql<string>`coalesce(sum(${artifacts.sizeBytes}), 0)` })
    .from(artifacts)
    .where(eq(artifacts.workspaceId, workspaceId));
  return Number(row?.used ?? 0);
}

const tooLarge = (max: number) => new AppError("PAYLOAD_TOO_LARGE", `The file is larger than the artifact limit of ${max} bytes`);
const overQuota = (quota: number) =>
  new AppError("PAYLOAD_TOO_LARGE", `The workspace's artifact storage quota of ${quota} bytes would be exceeded; delete some files first`);

/**
 * Stores a file on a run (members and up) and records it with an `artifact_added` event. Checked
 * before any byte is read: the execution (404), the step and comment (400), the content type (415),
 * a declared length over the limit (413). The bytes stream to storage while being counted and hashed;
 * past the per-file limit or the workspace's remaining quota the upload is cut off with 413 and
 * nothing is kept. The quota is checked again under a per-workspace lock before the row is written.
 */
export async function uploadArtifact(deps: Deps, { actor, upload }: { actor: Actor; upload: ArtifactUpload }): Promise<ArtifactView> {
  const { body } = upload;
  try {
    requireRole(actor.role, "member");
    const meta = parseInput(UploadArtifactMeta, upload.meta);
    const execution = await findExecution(deps, { workspaceId: actor.workspaceId, executionId: meta.executionId });
    if (meta.nodeId) requireStepOf(execution, meta.nodeId, "nodeId");
    if (meta.commentId) {
      const [comment] = await deps.db
        .select({ id: comments.id })
        .from(comments)
        .where(and(eq(comments.id, meta.commentId), eq(comments.workspaceId, actor.workspaceId), eq(comments.executionId, execution.id)));
      if (!comment) throw new AppError("BAD_REQUEST", "commentId: no such comment on this run", { path: "commentId" });
    }
    const contentType = baseContentType(upload.contentType) ?? "application/octet-stream";
    const { maxBytes, quotaBytes, allowedTypes, storage } = deps.artifacts;
    if (!contentTypeAllowed(contentType, allowedTypes)) {
      throw new AppError("UNSUPPORTED_MEDIA_TYPE", `Files of type ${contentType} are not accepted (allowed: ${allowedTypes.join(", ")})`);
    }
    const remaining = Math.max(0, quotaBytes - (await usedBytes(deps.db, actor.workspaceId)));
    const limit = Math.min(maxBytes, remaining);
    const refusal = () => (remaining < maxBytes ? overQuota(quotaBytes) : tooLarge(maxBytes));
    if (upload.contentLength != null && upload.contentLength > limit) throw refusal();

    const id = randomUUID();
    const storageKey = `${actor.workspaceId}/${execution.id}/${id}`;
    const metered = meterStream(body, limit);
    try {
      await storage.put(storageKey, metered.stream, { contentType });
    } catch (error) {
      if (error instanceof ByteLimitError) throw refusal();
      throw error;
    }
    const { sizeBytes, sha256 } = metered.result();
    try {
      const row = await deps.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`weft-artifacts:${actor.workspaceId}`}))`);
        if ((await usedBytes(tx, actor.workspaceId)) + sizeBytes > quotaBytes) throw overQuota(quotaBytes);
        return deps.executions.addArtifact(
          {
            id,
            workspaceId: actor.workspaceId,
            executionId: execution.id,
            nodeId: meta.nodeId ?? null,
            commentId: meta.commentId ?? null,
            name: meta.name,
            contentType,
            sizeBytes,
            sha256,
            storageKey,
            createdBy: actor.userId,
          },
          tx,
        );
      });
      if (!row) throw notFound("Execution");
      return artifactView(row);
    } catch (error) {
      await storage.delete(storageKey).catch(() => undefined);
      throw error;
    }
  } finally {
    // Whatever was refused, stop reading the request body.
    if (!body.readableEnded) body.destroy();
  }
}
