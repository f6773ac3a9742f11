import { and, comments, eq } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { forbidden } from "../../lib/errors";
import { parseInput } from "../../lib/validation";
import { loadComment, mayEditComment } from "./comment-view";
import { CommentIdInput } from "./schemas";

/** Deletes a comment (its author or an admin); files attached to it stay on the run. */
export async function deleteComment(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ ok: true }> {
  const { executionId, commentId } = parseInput(CommentIdInput, input);
  const current = await loadComment(deps, actor, { executionId, commentId });
  if (!mayEditComment(actor, { kind: current.kind, authorId: current.author?.id ?? null })) {
    throw forbidden("Only its author or a workspace admin can delete this comment");
  }
  await deps.db
    .delete(comments)
    .where(and(eq(comments.id, commentId), eq(comments.workspaceId, actor.workspaceId), eq(comments.executionId, executionId)));
  return { ok: true };
}
