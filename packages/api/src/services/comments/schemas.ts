import { z } from "zod";

export const CommentBody = z.string().trim().min(1, "write something").max(20_000);
/** A loop iteration path: "2", "2.0". */
export const IterationPath = z.string().regex(/^\d+(\.\d+)*$/, "an iteration path like 2 or 2.0");
export const StepNodeId = z.string().min(1).max(200);

export const ListCommentsInput = z.object({
  executionId: z.uuid(),
  /** Only this step's comments (else all of the run's, run-level and per step). */
  nodeId: StepNodeId.optional(),
});
export type ListCommentsInput = z.infer<typeof ListCommentsInput>;

export const CreateCommentInput = z.object({
  executionId: z.uuid(),
  /** Markdown. */
  body: CommentBody,
  /** The step commented on; absent = the run. */
  nodeId: StepNodeId.optional(),
  iteration: IterationPath.optional(),
});
export type CreateCommentInput = z.infer<typeof CreateCommentInput>;

export const UpdateCommentInput = z.object({ executionId: z.uuid(), commentId: z.uuid(), body: CommentBody });
export type UpdateCommentInput = z.infer<typeof UpdateCommentInput>;

export const CommentIdInput = z.object({ executionId: z.uuid(), commentId: z.uuid() });
export type CommentIdInput = z.infer<typeof CommentIdInput>;
