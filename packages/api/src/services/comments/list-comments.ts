import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { findExecution } from "../executions/execution-access";
import { loadComments, type CommentView } from "./comment-view";
import { ListCommentsInput } from "./schemas";

/** A run's comments (all, or one step's), oldest first, markdown rendered and sanitised. Viewers read. */
export async function listComments(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ comments: CommentView[] }> {
  const { executionId, nodeId } = parseInput(ListCommentsInput, input);
  await findExecution(deps, { workspaceId: actor.workspaceId, executionId });
  return { comments: await loadComments(deps, actor, { executionId, nodeId }) };
}
