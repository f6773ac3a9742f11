import {
  and,
  artifacts,
  blockExecutions,
  comments,
  eq,
  executionEvents,
  flowExecutions,
  sql,
  type Artifact,
  type BlockExecution,
  type Comment,
  type CommentKind,
  type Db,
  type DbOrTx,
  type FlowExecution,
  type NotifyBus,
} from "@weft/db";
import type { EventInput, NewExecution } from "./execution-store";
import { EVENTS_CHANNEL, WORK_CHANNEL } from "./execution-store";

/**
 * Writes of the run-as-a-workspace features (issue 17), kept apart from the runner's commit path:
 * events appended by people and blocks outside the lease (comments, artifacts), re-runs created with
 * reused steps, and a run's name and tags. Part of the execution store (the only writer of
 * executions, block rows and events).
 */

/**
 * Appends events to an execution's log whatever its status and whoever holds its lease: the index
 * range comes from the same `next_event_index` counter the runner's commits use (the row lock orders
 * the two), so indexes stay contiguous. Inside `within` when given (e.g. with the comment's insert).
 * Returns null when the execution is not in that workspace.
 */
export async function appendEvents(
  db: Db,
  bus: NotifyBus | undefined,
  { workspaceId, executionId, events }: { workspaceId: string; executionId: string; events: EventInput[] },
  within?: DbOrTx,
): Promise<{ firstIndex: number; lastIndex: number } | null> {
  if (events.length === 0) throw new Error("appendEvents needs at least one event");
  return (within ?? db).transaction(async (tx) => {
    const [row] = await tx
      .update(flowExecutions)
      .set({ nextEventIndex: sql`${flowExecutions.nextEventIndex} + ${events.length}` })
      .where(and(eq(flowExecutions.id, executionId), eq(flowExecutions.workspaceId, workspaceId)))
      .returning({ next: flowExecutions.nextEventIndex });
    if (!row) return null;
    const firstIndex = row.next - events.length;
    await tx.insert(executionEvents).values(
      events.map(({ type, ...data }, i) => ({ executionId, eventIndex: firstIndex + i, workspaceId, type, data })),
    );
    if (bus) await bus.notify(tx, EVENTS_CHANNEL, `${executionId}:${row.next - 1}`);
    return { firstIndex, lastIndex: row.next - 1 };
  });
}

export type NewRerun = NewExecution & {
  /** The execution re-run (its steps are copied) and the node the re-run starts from. */
  rerunOf: string;
  fromNodeId: string;
  /** Completed steps of `rerunOf` whose stored outputs the new run keeps instead of running them. */
  reused: BlockExecution[];
};

/**
 * Creates a re-run in one transaction: the execution (already `running`, no lease, so a worker claims
 * it and resumes it like any unowned run), its `execution_start` event, the reused steps as completed
 * block rows (metrics left empty: the new run did not spend them) and one `node_complete` event per
 * reused step marked `reused: true`. The runner never runs completed steps, so only the start node and
 * what follows it execute.
 */
export async function createRerun(db: Db, bus: NotifyBus | undefined, input: NewRerun): Promise<FlowExecution> {
  return db.transaction(async (tx) => {
    const events: EventInput[] = [
      // The run row carries `retryOfExecutionId` and `rerunFromNodeId`; the event has no fields.
      { type: "execution_start" },
      ...input.reused.map((b) => ({
        type: "node_complete" as const,
        nodeId: b.nodeId,
        ...(b.iteration ? { iteration: b.iteration } : {}),
        output: b.output,
        durationMs: 0,
        reused: true,
        fromExecutionId: input.rerunOf,
      })),
    ];
    const now = new Date();
    const [row] = await tx
      .insert(flowExecutions)
      .values({
        workspaceId: input.workspaceId,
        flowId: input.flowId,
        flowVersionId: input.flowVersionId ?? null,
        graph: input.graph,
        input: input.input ?? null,
        triggerType: input.triggerType ?? "manual",
        createdBy: input.createdBy ?? null,
        retryOfExecutionId: input.rerunOf,
        rerunFromNodeId: input.fromNodeId,
        name: input.name ?? null,
        tags: input.tags ?? [],
        status: "running",
        startedAt: now,
        nextEventIndex: events.length,
      })
      .returning();
    if (!row) throw new Error("execution insert returned nothing");
    await tx.insert(executionEvents).values(
      events.map(({ type, ...data }, i) => ({ executionId: row.id, eventIndex: i, workspaceId: input.workspaceId, type, data })),
    );
    if (input.reused.length > 0) {
      await tx.insert(blockExecutions).values(
        input.reused.map((b) => ({
          workspaceId: input.workspaceId,
          executionId: row.id,
          nodeId: b.nodeId,
          iteration: b.iteration,
          blockType: b.blockType,
          status: "completed" as const,
          attempt: b.attempt,
          input: b.input,
          output: b.output,
          startedAt: now,
          finishedAt: now,
          durationMs: 0,
          reusedFromExecutionId: input.rerunOf,
        })),
      );
    }
    if (bus) {
      await bus.notify(tx, EVENTS_CHANNEL, `${row.id}:${events.length - 1}`);
      await bus.notify(tx, WORK_CHANNEL, row.id);
    }
    return row;
  });
}

/** Sets a run's name and/or tags (any status). Null when the execution is not in that workspace. */
export async function labelExecution(
  db: Db,
  { workspaceId, executionId, name, tags }: { workspaceId: string; executionId: string; name?: string | null; tags?: string[] },
): Promise<Pick<FlowExecution, "id" | "name" | "tags"> | null> {
  const [row] = await db
    .update(flowExecutions)
    .set({ ...(name !== undefined ? { name } : {}), ...(tags !== undefined ? { tags } : {}), updatedAt: sql`now()` })
    .where(and(eq(flowExecutions.id, executionId), eq(flowExecutions.workspaceId, workspaceId)))
    .returning({ id: flowExecutions.id, name: flowExecutions.name, tags: flowExecutions.tags });
  return row ?? null;
}

export type NewComment = {
  workspaceId: string;
  executionId: string;
  kind: CommentKind;
  body: string;
  nodeId?: string | null;
  iteration?: string | null;
  authorId?: string | null;
};

/**
 * A comment on a run or one of its steps, with its `comment_added` event, in one transaction (people
 * through the API, the engine's system comments, blocks' agent comments). Null when the execution is
 * not in that workspace.
 */
export async function addComment(db: Db, bus: NotifyBus | undefined, input: NewComment): Promise<Comment | null> {
  return db.transaction(async (tx) => {
    const [execution] = await tx
      .select({ flowId: flowExecutions.flowId })
      .from(flowExecutions)
      .where(and(eq(flowExecutions.id, input.executionId), eq(flowExecutions.workspaceId, input.workspaceId)));
    if (!execution) return null;
    const [comment] = await tx
      .insert(comments)
      .values({
        workspaceId: input.workspaceId,
        flowId: execution.flowId,
        executionId: input.executionId,
        nodeId: input.nodeId ?? null,
        iteration: input.iteration ?? null,
        kind: input.kind,
        authorId: input.authorId ?? null,
        body: input.body,
      })
      .returning();
    if (!comment) throw new Error("comment insert returned nothing");
    const at = { ...(comment.nodeId ? { nodeId: comment.nodeId } : {}), ...(comment.iteration ? { iteration: comment.iteration } : {}) };
    await appendEvents(
      db,
      bus,
      { workspaceId: input.workspaceId, executionId: input.executionId, events: [{ type: "comment_added", commentId: comment.id, kind: comment.kind, body: comment.body, authorId: comment.authorId, ...at }] },
      tx,
    );
    return comment;
  });
}

export type NewArtifact = Omit<typeof artifacts.$inferInsert, "createdAt">;

/**
 * Records an artifact whose bytes are already stored, with its `artifact_added` event, in one
 * transaction (inside `within` when given: the caller's quota check). Null when the execution is not
 * in that workspace.
 */
export async function addArtifact(db: Db, bus: NotifyBus | undefined, input: NewArtifact, within?: DbOrTx): Promise<Artifact | null> {
  if (!input.executionId) throw new Error("addArtifact needs an executionId");
  const executionId = input.executionId;
  return (within ?? db).transaction(async (tx) => {
    const [artifact] = await tx.insert(artifacts).values(input).returning();
    if (!artifact) throw new Error("artifact insert returned nothing");
    const appended = await appendEvents(
      db,
      bus,
      {
        workspaceId: input.workspaceId,
        executionId,
        events: [
          {
            type: "artifact_added",
            artifactId: artifact.id,
            name: artifact.name,
            contentType: artifact.contentType,
            size: artifact.sizeBytes,
            sha256: artifact.sha256,
            ...(artifact.nodeId ? { nodeId: artifact.nodeId } : {}),
            ...(artifact.commentId ? { commentId: artifact.commentId } : {}),
          },
        ],
      },
      tx,
    );
    if (!appended) throw new Error(`execution ${executionId} is not in workspace ${input.workspaceId}`);
    return artifact;
  });
}
