import {
  and,
  asc,
  blockExecutions,
  eq,
  executionEvents,
  flowExecutions,
  gt,
  inArray,
  isNull,
  lte,
  or,
  sql,
  type BlockExecution,
  type Db,
  type DbOrTx,
  type FlowExecution,
  type NotifyBus,
  type TriggerType,
} from "@weft/db";
import type { ExecutionEvent } from "@weft/flow";
import { isTerminal, type BlockExecutionStatus, type ExecutionStatus } from "../core/status";
import { LeaseLostError, TransitionRefusedError } from "./errors";
import { randomUUID } from "node:crypto";
import { addArtifact, addComment, appendEvents, createRerun, labelExecution, type NewArtifact, type NewComment, type NewRerun } from "./run-activity";

/** Channel of the "events committed" notification: payload `<executionId>:<last event index>`. */
export const EVENTS_CHANNEL = "weft_execution_events";
/** Channel waking idle workers: payload is an execution id (new, resumed, or with a command). */
export const WORK_CHANNEL = "weft_execution_work";

/** An event to append: the typed union of packages/flow (`type` goes to its column, the rest to `data`). */
export type EventInput = ExecutionEvent;

export type BlockUpsert = {
  nodeId: string;
  iteration: string;
  blockType: string;
  status: BlockExecutionStatus;
  attempt?: number;
  input?: unknown;
  output?: unknown;
  error?: { code: string; message: string } | null;
  startedAt?: Date;
  finishedAt?: Date;
  durationMs?: number;
  tokensIn?: number | null;
  tokensOut?: number | null;
  /** USD; written to the `numeric` column as a fixed-point string (`usd()`). */
  costUsd?: number | null;
  ttftMs?: number | null;
  tokensPerSecond?: number | null;
};

/** A USD amount for a `numeric(14,8)` column. */
export const usd = (value: number | null | undefined) => (value == null ? null : value.toFixed(8));

export type CommitInput = {
  executionId: string;
  owner: string;
  /** The change is refused unless the execution is in one of these statuses. */
  from?: readonly ExecutionStatus[];
  to?: ExecutionStatus;
  set?: Partial<
    Pick<
      FlowExecution,
      | "output"
      | "error"
      | "tokensIn"
      | "tokensOut"
      | "costUsd"
      | "durationMs"
      | "startedAt"
      | "finishedAt"
      | "wakeAt"
      | "requestedCommand"
      | "requestedBy"
      | "graph"
    >
  >;
  /** Renews the lease by this much in the same statement. */
  leaseMs?: number;
  /** Releases the lease after this commit (paused, terminal, or handing over). */
  release?: boolean;
  events?: EventInput[];
  blocks?: BlockUpsert[];
  /** What this change is, for the refusal message. */
  action?: string;
};

/** What a command does with an execution it holds exclusively (`store.exclusive`). */
export type ExclusiveContext = {
  /** The status when the lease was taken. */
  status: ExecutionStatus;
  blocks: (where: { status?: BlockExecutionStatus; blockType?: string }) => Promise<BlockExecution[]>;
  commit: (input: Omit<CommitInput, "executionId" | "owner">) => Promise<{ firstIndex: number; lastIndex: number; status: ExecutionStatus }>;
  /** Fix-and-continue: skipped and unfinished block rows dropped, failed ones back to pending. */
  reopenFailed: () => Promise<void>;
};

export type NewExecution = {
  workspaceId: string;
  flowId: string;
  flowVersionId?: string | null;
  graph: { nodes: unknown[]; edges: unknown[] };
  input: unknown;
  triggerType?: TriggerType;
  createdBy?: string | null;
  idempotencyKey?: string | null;
  retryOfExecutionId?: string | null;
  /** Not claimed before this time. */
  wakeAt?: Date | null;
  /** Held: not claimed until `releaseHeld` (a schedule's queued slot). */
  held?: boolean;
  /** The run's name and tags (searchable in the executions list). */
  name?: string | null;
  tags?: string[];
  /** `test`: a block test (listed only with ?kind=test, kept out of analytics); default `flow`. */
  kind?: "flow" | "test";
};

/**
 * The only code that writes executions, their block executions and their events. Every write of a
 * running execution is fenced by its lease: `where lease_owner = me and lease_expires_at > now()`, so a
 * worker whose lease was taken over cannot write (LeaseLostError). Events and the state change of one
 * transition are committed in one transaction, with contiguous indexes from `next_event_index`.
 */
export function createExecutionStore({ db, bus }: { db: Db; bus?: NotifyBus }) {
  async function notifyWork(tx: DbOrTx, executionId: string) {
    if (bus) await bus.notify(tx, WORK_CHANNEL, executionId);
  }

  /** One `weft_commit` on `executor` (the pool, or a transaction that joins it). */
  async function commitOn(executor: DbOrTx, input: CommitInput): Promise<{ firstIndex: number; lastIndex: number; status: ExecutionStatus }> {
    const events = input.events ?? [];
    const result = await executor.execute(
      sql`select o_first as first, o_status as status, o_outcome as outcome from weft_commit(${input.executionId}::uuid, ${input.owner}, ${input.release ? null : (input.leaseMs ?? null)}::integer, ${eventsJson(events)}::jsonb, ${blocksJson(input.blocks ?? [])}::jsonb, ${bus ? EVENTS_CHANNEL : null}::text, ${input.from ? `{${input.from.join(",")}}` : null}::text[], ${input.to ?? null}::text, ${input.set ? JSON.stringify(input.set) : null}::jsonb, ${Boolean(input.release)}, ${bus && input.release && input.to === "running" ? WORK_CHANNEL : null}::text)`,
    );
    const [row] = rowsOf<{ first: number | null; status: ExecutionStatus | null; outcome: string }>(result);
    if (!row || row.outcome === "lease_lost") throw new LeaseLostError(input.executionId);
    if (row.outcome === "refused") throw new TransitionRefusedError(input.executionId, row.status!, input.action ?? input.to ?? "change");
    const firstIndex = Number(row.first);
    return { firstIndex, lastIndex: firstIndex + events.length - 1, status: row.status! };
  }

  return {
    /**
     * Creates an execution, inside `within` when given (its transaction). Pending, and a worker is woken
     * (NOTIFY); or, with `start` (direct dispatch: the creating process runs it at once), already
     * running with `start.owner`'s lease taken in the same insert, and nobody woken. Either way one
     * insert: the runner of a started run writes its `execution_start` with its first commit.
     */
    async create(input: NewExecution, within?: DbOrTx, start?: { owner: string; leaseMs: number }): Promise<FlowExecution> {
      const insert = async (tx: DbOrTx) => {
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
            idempotencyKey: input.idempotencyKey ?? null,
            retryOfExecutionId: input.retryOfExecutionId ?? null,
            wakeAt: input.wakeAt ?? null,
            held: input.held ?? false,
            name: input.name ?? null,
            tags: input.tags ?? [],
            kind: input.kind ?? "flow",
            ...(start
              ? { status: "running" as const, startedAt: sql`now()`, leaseOwner: start.owner, leaseExpiresAt: sql`now() + ${`${start.leaseMs} milliseconds`}::interval` }
              : {}),
          })
          .returning();
        if (!row) throw new Error("execution insert returned nothing");
        if (!start && !row.held) await notifyWork(tx, row.id);
        return row;
      };
      if (within) return insert(within);
      return start || !bus ? insert(db) : db.transaction(insert);
    },

    /**
     * Claims up to `limit` executions that need a worker: pending or running with no live lease, and
     * paused ones whose wake-up time (an approval deadline) has come. Two workers never get the same
     * row (FOR UPDATE SKIP LOCKED + the lease condition re-checked by the UPDATE).
     */
    async claim({ owner, leaseMs, limit = 10, onlyId }: { owner: string; leaseMs: number; limit?: number; onlyId?: string }): Promise<FlowExecution[]> {
      const leaseFree = or(isNull(flowExecutions.leaseExpiresAt), lte(flowExecutions.leaseExpiresAt, sql`now()`));
      const due = or(isNull(flowExecutions.wakeAt), lte(flowExecutions.wakeAt, sql`now()`));
      const claimable = and(
        leaseFree,
        eq(flowExecutions.held, false),
        or(
          and(inArray(flowExecutions.status, ["pending", "running"]), due),
          and(eq(flowExecutions.status, "paused"), lte(flowExecutions.wakeAt, sql`now()`)),
        ),
        onlyId ? eq(flowExecutions.id, onlyId) : undefined,
      );
      return db.transaction(async (tx) => {
        const candidates = await tx
          .select({ id: flowExecutions.id })
          .from(flowExecutions)
          .where(claimable)
          .orderBy(asc(flowExecutions.createdAt))
          .limit(limit)
          .for("update", { skipLocked: true });
        if (candidates.length === 0) return [];
        return tx
          .update(flowExecutions)
          .set({ leaseOwner: owner, leaseExpiresAt: sql`now() + ${`${leaseMs} milliseconds`}::interval` })
          .where(and(inArray(flowExecutions.id, candidates.map((c) => c.id)), claimable))
          .returning();
      });
    },

    /**
     * Releases a held run (pending and held) and wakes a worker: one statement, inside `within` when
     * given. False when it was not held (released already, cancelled, gone).
     */
    async releaseHeld(executionId: string, within?: DbOrTx): Promise<boolean> {
      const result = await (within ?? db).execute(
        sql`with released as (
              update flow_executions set held = false, updated_at = now()
              where id = ${executionId} and held and status = 'pending' returning id
            )
            select id, ${bus ? sql`pg_notify(${WORK_CHANNEL}, id::text)` : sql`null`} as notified from released`,
      );
      return rowsOf<{ id: string }>(result).length > 0;
    },

    /** Extends the lease; false when it was lost (the worker must stop touching the execution). */
    async heartbeat({ executionId, owner, leaseMs }: { executionId: string; owner: string; leaseMs: number }): Promise<
      { ok: true; requestedCommand: FlowExecution["requestedCommand"]; requestedBy: string | null } | { ok: false }
    > {
      const [row] = await db
        .update(flowExecutions)
        .set({ leaseExpiresAt: sql`now() + ${`${leaseMs} milliseconds`}::interval` })
        .where(and(eq(flowExecutions.id, executionId), eq(flowExecutions.leaseOwner, owner), gt(flowExecutions.leaseExpiresAt, sql`now()`)))
        .returning({ requestedCommand: flowExecutions.requestedCommand, requestedBy: flowExecutions.requestedBy });
      return row ? { ok: true, ...row } : { ok: false };
    },

    async release({ executionId, owner }: { executionId: string; owner: string }): Promise<void> {
      await db
        .update(flowExecutions)
        .set({ leaseOwner: null, leaseExpiresAt: null })
        .where(and(eq(flowExecutions.id, executionId), eq(flowExecutions.leaseOwner, owner)));
    },

    /**
     * One transition: state change, events and block rows in one statement and one transaction
     * (`weft_commit`, drizzle/0007), fenced by the lease. LeaseLostError when this owner has no live
     * lease; TransitionRefusedError when the status is not one of `from`.
     */
    commit: (input: CommitInput) => commitOn(db, input),

    /**
     * A command on an execution nobody runs (paused, pending, failed), as ONE transaction: the lease is
     * taken (null when someone holds it), `fn` reads and commits through `ctx` with it, and it is
     * released, all or nothing. Nobody else ever sees this lease: it lives inside the transaction.
     */
    async exclusive<T>(executionId: string, fn: (ctx: ExclusiveContext) => Promise<T>): Promise<{ value: T } | null> {
      const owner = `command-${randomUUID()}`;
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(flowExecutions)
          .set({ leaseOwner: owner, leaseExpiresAt: sql`now() + interval '1 minute'` })
          .where(and(eq(flowExecutions.id, executionId), or(isNull(flowExecutions.leaseExpiresAt), lte(flowExecutions.leaseExpiresAt, sql`now()`))))
          .returning({ status: flowExecutions.status });
        if (!row) return null;
        const ctx: ExclusiveContext = {
          status: row.status,
          blocks: (where) =>
            tx
              .select()
              .from(blockExecutions)
              .where(
                and(
                  eq(blockExecutions.executionId, executionId),
                  where.status ? eq(blockExecutions.status, where.status) : undefined,
                  where.blockType ? eq(blockExecutions.blockType, where.blockType) : undefined,
                ),
              ),
          commit: (input) => commitOn(tx, { ...input, executionId, owner }),
          reopenFailed: async () => {
            // Skipped and unfinished rows are dropped and failed rows reset to pending (keeping their
            // attempt count): those nodes are decided again.
            await tx
              .delete(blockExecutions)
              .where(and(eq(blockExecutions.executionId, executionId), inArray(blockExecutions.status, ["skipped", "running", "pending"])));
            await tx
              .update(blockExecutions)
              .set({ status: "pending", error: null, output: null, finishedAt: null })
              .where(and(eq(blockExecutions.executionId, executionId), eq(blockExecutions.status, "failed")));
          },
        };
        const value = await fn(ctx);
        await tx
          .update(flowExecutions)
          .set({ leaseOwner: null, leaseExpiresAt: null })
          .where(and(eq(flowExecutions.id, executionId), eq(flowExecutions.leaseOwner, owner)));
        return { value };
      });
    },

    /** The status of an execution (null when there is none). */
    async statusOf(executionId: string): Promise<ExecutionStatus | null> {
      const [row] = await db.select({ status: flowExecutions.status }).from(flowExecutions).where(eq(flowExecutions.id, executionId));
      return row?.status ?? null;
    },

    async load(executionId: string): Promise<{ execution: FlowExecution; blocks: BlockExecution[] } | null> {
      const [execution] = await db.select().from(flowExecutions).where(eq(flowExecutions.id, executionId));
      if (!execution) return null;
      const blocks = await db.select().from(blockExecutions).where(eq(blockExecutions.executionId, executionId));
      return { execution, blocks };
    },

    async events(executionId: string, fromIndex = 0) {
      return db
        .select({ index: executionEvents.eventIndex, type: executionEvents.type, data: executionEvents.data })
        .from(executionEvents)
        .where(and(eq(executionEvents.executionId, executionId), gt(executionEvents.eventIndex, fromIndex - 1)))
        .orderBy(asc(executionEvents.eventIndex));
    },

    /**
     * Asks whoever owns a running execution to cancel or pause it (it sees the request at its next
     * heartbeat or at once through NOTIFY). Returns the status at the time of the request.
     */
    async request({ executionId, command, by }: { executionId: string; command: "cancel" | "pause"; by?: string | null }) {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(flowExecutions)
          .set({ requestedCommand: command, requestedBy: by ?? null })
          .where(eq(flowExecutions.id, executionId))
          .returning({ status: flowExecutions.status });
        await notifyWork(tx, executionId);
        return row ?? null;
      });
    },

    /**
     * Deletes ended executions of a workspace with their block rows and events (cascade), all or
     * nothing: when any of them has not ended (pending, running, paused) nothing is deleted and those
     * are returned. The rows are locked first, so none can resume between the check and the delete.
     */
    async deleteEnded({ workspaceId, executionIds }: { workspaceId: string; executionIds: string[] }) {
      return db.transaction(async (tx) => {
        const rows = await tx
          .select({ id: flowExecutions.id, status: flowExecutions.status })
          .from(flowExecutions)
          .where(and(eq(flowExecutions.workspaceId, workspaceId), inArray(flowExecutions.id, executionIds)))
          .for("update");
        const active = rows.filter((r) => !isTerminal(r.status));
        if (active.length > 0) return { deleted: [] as string[], active };
        const deleted = await tx
          .delete(flowExecutions)
          .where(and(eq(flowExecutions.workspaceId, workspaceId), inArray(flowExecutions.id, executionIds)))
          .returning({ id: flowExecutions.id });
        return { deleted: deleted.map((d) => d.id), active };
      });
    },

    notifyWork: (executionId: string) => notifyWork(db, executionId),

    // Comments, artifacts, re-runs and run names (store/run-activity.ts).
    appendEvents: (input: Parameters<typeof appendEvents>[2], within?: DbOrTx) => appendEvents(db, bus, input, within),
    createRerun: (input: NewRerun) => createRerun(db, bus, input),
    labelExecution: (input: Parameters<typeof labelExecution>[1]) => labelExecution(db, input),
    addComment: (input: NewComment) => addComment(db, bus, input),
    addArtifact: (input: NewArtifact, within?: DbOrTx) => addArtifact(db, bus, input, within),
  };
}

export type ExecutionStore = ReturnType<typeof createExecutionStore>;

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[];

const eventsJson = (events: EventInput[]) => JSON.stringify(events.map(({ type, ...data }) => ({ type, data })));

/** Block rows as `weft_upsert_blocks` (drizzle/0007) reads them: the merge rules live there only. */
export function blocksJson(blocks: BlockUpsert[]): string {
  return JSON.stringify(
    blocks.map((b) => ({
      node_id: b.nodeId,
      iteration: b.iteration,
      block_type: b.blockType,
      status: b.status,
      attempt: b.attempt ?? 0,
      input: b.input === undefined ? null : b.input,
      output: b.output === undefined ? null : b.output,
      error: b.error ?? null,
      started_at: b.startedAt?.toISOString() ?? null,
      finished_at: b.finishedAt?.toISOString() ?? null,
      duration_ms: b.durationMs ?? null,
      tokens_in: b.tokensIn ?? null,
      tokens_out: b.tokensOut ?? null,
      cost_usd: usd(b.costUsd),
      ttft_ms: b.ttftMs ?? null,
      tokens_per_second: b.tokensPerSecond ?? null,
    })),
  );
}
