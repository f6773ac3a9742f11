import { createTRPCRouter, workspaceProcedure } from "../init";
import { createComment } from "../../services/comments/create-comment";
import { deleteComment } from "../../services/comments/delete-comment";
import { listComments } from "../../services/comments/list-comments";
import { CommentIdInput, CreateCommentInput, ListCommentsInput, UpdateCommentInput } from "../../services/comments/schemas";
import { updateComment } from "../../services/comments/update-comment";

/** `comments` on runs and steps. Viewers read; members comment; authors (and admins) edit and delete. */
export const commentsRouter = createTRPCRouter({
  list: workspaceProcedure.input(ListCommentsInput).query(({ ctx, input }) => listComments(ctx.deps, { actor: ctx.actor, input })),
  create: workspaceProcedure.input(CreateCommentInput).mutation(({ ctx, input }) => createComment(ctx.deps, { actor: ctx.actor, input })),
  update: workspaceProcedure.input(UpdateCommentInput).mutation(({ ctx, input }) => updateComment(ctx.deps, { actor: ctx.actor, input })),
  delete: workspaceProcedure.input(CommentIdInput).mutation(({ ctx, input }) => deleteComment(ctx.deps, { actor: ctx.actor, input })),
});
