import { and, artifacts, asc, comments, eq, inArray, users, type Comment } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { renderMarkdown } from "../../lib/markdown";
import { roleAtLeast } from "../../lib/roles";
import { artifactView, type ArtifactView } from "../artifacts/artifact-view";

export type CommentView = {
  id: string;
  executionId: string;
  nodeId: string | null;
  iteration: string | null;
  kind: Comment["kind"];
  author: { id: string; name: string } | null;
  /** The markdown as written, and as sanitised HTML (safe to insert into a page). */
  body: string;
  html: string;
  createdAt: Date;
  updatedAt: Date;
  edited: boolean;
  /** Whether the caller may edit or delete it (its author, or an admin). */
  canEdit: boolean;
  attachments: ArtifactView[];
};

/** Authors edit and delete their own comments (while members); admins and owners any. */
export function mayEditComment(actor: Actor, comment: Pick<Comment, "kind" | "authorId">): boolean {
  if (roleAtLeast(actor.role, "admin")) return true;
  return comment.kind === "user" && roleAtLeast(actor.role, "member") && comment.authorId !== null && comment.authorId === actor.userId;
}

/** The execution's comments (optionally one step's), oldest first, with authors and attachments. */
export async function loadComments(
  deps: Deps,
  actor: Actor,
  { executionId, nodeId, commentId }: { executionId: string; nodeId?: string; commentId?: string },
): Promise<CommentView[]> {
  const rows = await deps.db
    .select({ comment: comments, authorName: users.name })
    .from(comments)
    .leftJoin(users, eq(users.id, comments.authorId))
    .where(
      and(
        eq(comments.workspaceId, actor.workspaceId),
        eq(comments.executionId, executionId),
        nodeId ? eq(comments.nodeId, nodeId) : undefined,
        commentId ? eq(comments.id, commentId) : undefined,
      ),
    )
    .orderBy(asc(comments.createdAt), asc(comments.id));
  const ids = rows.map((r) => r.comment.id);
  const files =
    ids.length === 0
      ? []
      : await deps.db
          .select()
          .from(artifacts)
          .where(and(eq(artifacts.workspaceId, actor.workspaceId), inArray(artifacts.commentId, ids)))
          .orderBy(asc(artifacts.createdAt));
  return rows.map(({ comment: c, authorName }) => ({
    id: c.id,
    executionId,
    nodeId: c.nodeId,
    iteration: c.iteration,
    kind: c.kind,
    author: c.authorId ? { id: c.authorId, name: authorName ?? "" } : null,
    body: c.body,
    html: renderMarkdown(c.body),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    edited: c.updatedAt.getTime() - c.createdAt.getTime() > 1000,
    canEdit: mayEditComment(actor, c),
    attachments: files.filter((f) => f.commentId === c.id).map(artifactView),
  }));
}

/** One comment of an execution of the workspace, or 404. */
export async function loadComment(deps: Deps, actor: Actor, { executionId, commentId }: { executionId: string; commentId: string }): Promise<CommentView> {
  const [view] = await loadComments(deps, actor, { executionId, commentId });
  if (!view) throw notFound("Comment");
  return view;
}
