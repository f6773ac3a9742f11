import { and, comments, eq, sql } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { forbidden } from "../../lib/errors";
import { parseInput } from "../../lib/validation";
import { loadComment, mayEditComment, type CommentView } from "./comment-view";
import { UpdateCommentInput } from "./schemas";

/** Edits a comment's markdown: its author (a member) or an admin; others 403, other workspaces 404. */
export async function updateComment(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<CommentView> {
  const { executionId, commentId, body } = parseInput(UpdateCommentInput, input);
  const current = await loadComment(deps, actor, { executionId, commentId });
  if (!mayEditComment(actor, { kind: current.kind, authorId: current.author?.id ?? null })) {
    throw forbidden("Only its author or a workspace admin can edit this comment");
  }
  await deps.db
    .update(comments)
    .set({ body, updatedAt: sql`now()` })
    .where(and(eq(comments.id, commentId), eq(comments.workspaceId, actor.workspaceId), eq(comments.executionId, executionId)));
  return loadComment(deps, actor, { executionId, commentId });
}
