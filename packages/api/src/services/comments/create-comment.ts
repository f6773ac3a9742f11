import type { Actor, Deps } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { findExecution, requireStepOf } from "../executions/execution-access";
import { loadComment, type CommentView } from "./comment-view";
import { CreateCommentInput } from "./schemas";

/**
 * A person's comment on a run or on one of its steps (members and up), with a `comment_added` event on
 * the run's stream. The step must be a node of the run's graph (400 naming `nodeId`).
 */
export async function createComment(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<CommentView> {
  requireRole(actor.role, "member");
  const { executionId, body, nodeId, iteration } = parseInput(CreateCommentInput, input);
  const execution = await findExecution(deps, { workspaceId: actor.workspaceId, executionId });
  if (nodeId) requireStepOf(execution, nodeId, "nodeId");
  const comment = await deps.executions.addComment({
    workspaceId: actor.workspaceId,
    executionId,
    kind: "user",
    body,
    nodeId: nodeId ?? null,
    iteration: nodeId ? (iteration ?? null) : null,
    authorId: actor.userId,
  });
  if (!comment) throw notFound("Execution");
  return loadComment(deps, actor, { executionId, commentId: comment.id });
}
