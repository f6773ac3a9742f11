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
  /** Not claimed before this time (a held run, e.g. a schedule's queued slot, is released by setting it). */
  wakeAt?: Date | null;
  /** The run's name and tags (searchable in the executions list). */
  name?: string | null;
  tags?: string[];
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

  return {
    db,

    /** Creates a pending execution and wakes a worker; inside `within` when given (its transaction). */
    async create(input: NewExecution, within?: DbOrTx): Promise<FlowExecution> {
      return (within ?? db).transaction(async (tx) => {
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
            name: input.name ?? null,
            tags: input.tags ?? [],
          })
          .returning();
        if (!row) throw new Error("execution insert returned nothing");
        await notifyWork(tx, row.id);
        return row;
      });
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

    /** Takes the lease of one execution if nobody holds it (API-side commands on paused/pending runs). */
    async acquire({ executionId, owner, leaseMs }: { executionId: string; owner: string; leaseMs: number }): Promise<FlowExecution | null> {
      const [row] = await db
        .update(flowExecutions)
        .set({ leaseOwner: owner, leaseExpiresAt: sql`now() + ${`${leaseMs} milliseconds`}::interval` })
        .where(
          and(
            eq(flowExecutions.id, executionId),
            or(isNull(flowExecutions.leaseExpiresAt), lte(flowExecutions.leaseExpiresAt, sql`now()`)),
          ),
        )
        .returning();
      return row ?? null;
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

    /** One transition: state change, events and block rows in one transaction, fenced by the lease. */
    async commit(input: CommitInput): Promise<{ firstIndex: number; lastIndex: number; status: ExecutionStatus }> {
      const events = input.events ?? [];
      const blocks = input.blocks ?? [];
      if (!input.set && !input.release && !input.to && !input.from && events.length > 0) {
        const fast = await commitNodeEvents(db, input, events, blocks, Boolean(bus));
        if (fast) return fast;
      }
      return db.transaction(async (tx) => {
        const fence = and(
          eq(flowExecutions.id, input.executionId),
          eq(flowExecutions.leaseOwner, input.owner),
          gt(flowExecutions.leaseExpiresAt, sql`now()`),
        );
        const [row] = await tx
          .update(flowExecutions)
          .set({
            nextEventIndex: sql`${flowExecutions.nextEventIndex} + ${events.length}`,
            ...(input.to ? { status: input.to } : {}),
            ...input.set,
            ...(input.release
              ? { leaseOwner: null, leaseExpiresAt: null }
              : input.leaseMs
                ? { leaseExpiresAt: sql`now() + ${`${input.leaseMs} milliseconds`}::interval` }
                : {}),
            updatedAt: sql`now()`,
          })
          .where(and(fence, input.from ? inArray(flowExecutions.status, [...input.from]) : undefined))
          .returning({ next: flowExecutions.nextEventIndex, status: flowExecutions.status, workspaceId: flowExecutions.workspaceId });
        if (!row) {
          const [current] = await tx
            .select({ status: flowExecutions.status, owned: sql<boolean>`${fence}` })
            .from(flowExecutions)
            .where(eq(flowExecutions.id, input.executionId));
          if (!current || !current.owned) throw new LeaseLostError(input.executionId);
          throw new TransitionRefusedError(input.executionId, current.status, input.action ?? input.to ?? "change");
        }
        const firstIndex = row.next - events.length;
        if (events.length > 0) {
          await tx.insert(executionEvents).values(
            events.map(({ type, ...data }, i) => ({
              executionId: input.executionId,
              eventIndex: firstIndex + i,
              workspaceId: row.workspaceId,
              type,
              data,
            })),
          );
        }
        if (blocks.length > 0) await upsertBlocks(tx, input.executionId, row.workspaceId, blocks);
        if (events.length > 0 && bus) await bus.notify(tx, EVENTS_CHANNEL, `${input.executionId}:${row.next - 1}`);
        if (input.release && input.to === "running") await notifyWork(tx, input.executionId);
        return { firstIndex, lastIndex: row.next - 1, status: row.status };
      });
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

/**
 * The hot path (node events, no status change): the fenced UPDATE, the events, the block rows and the
 * NOTIFY in one call of `weft_commit_node` (drizzle/0001_commit_function.sql), so a node costs one
 * round trip and one commit with cached plans. Returns null when the fence refused it, for the caller
 * to find out why through the general path.
 */
async function commitNodeEvents(db: Db, input: CommitInput, events: EventInput[], blocks: BlockUpsert[], notify: boolean) {
  const n = events.length;
  const eventsJson = JSON.stringify(events.map(({ type, ...data }) => ({ type, data })));
  const blocksJson = JSON.stringify(
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
  const result = await db.execute(
    sql`select weft_commit_node(${input.executionId}::uuid, ${input.owner}, ${input.leaseMs ?? null}::integer, ${eventsJson}::jsonb, ${blocksJson}::jsonb, ${notify ? EVENTS_CHANNEL : null}::text) as first`,
  );
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ first: number | null }>;
  const first = rows[0]?.first;
  if (first === null || first === undefined) return null;
  const firstIndex = Number(first);
  return { firstIndex, lastIndex: firstIndex + n - 1, status: "running" as ExecutionStatus };
}

const keep = (column: string) => sql.raw(`coalesce(excluded.${column}, block_executions.${column})`);

async function upsertBlocks(tx: DbOrTx, executionId: string, workspaceId: string, blocks: BlockUpsert[]) {
  await tx
    .insert(blockExecutions)
    .values(
      blocks.map((b) => ({
        workspaceId,
        executionId,
        nodeId: b.nodeId,
        iteration: b.iteration,
        blockType: b.blockType,
        status: b.status,
        attempt: b.attempt ?? 0,
        input: b.input ?? null,
        output: b.output ?? null,
        error: b.error ?? null,
        startedAt: b.startedAt ?? null,
        finishedAt: b.finishedAt ?? null,
        durationMs: b.durationMs ?? null,
        tokensIn: b.tokensIn ?? null,
        tokensOut: b.tokensOut ?? null,
        costUsd: usd(b.costUsd),
        ttftMs: b.ttftMs ?? null,
        tokensPerSecond: b.tokensPerSecond ?? null,
      })),
    )
    .onConflictDoUpdate({
      target: [blockExecutions.executionId, blockExecutions.nodeId, blockExecutions.iteration],
      set: {
        status: sql.raw("excluded.status"),
        attempt: sql.raw("greatest(excluded.attempt, block_executions.attempt)"),
        input: keep("input"),
        output: keep("output"),
        error: sql.raw("case when excluded.status = 'completed' then null else coalesce(excluded.error, block_executions.error) end"),
        startedAt: keep("started_at"),
        finishedAt: keep("finished_at"),
        durationMs: keep("duration_ms"),
        tokensIn: keep("tokens_in"),
        tokensOut: keep("tokens_out"),
        costUsd: keep("cost_usd"),
        ttftMs: keep("ttft_ms"),
        tokensPerSecond: keep("tokens_per_second"),
        updatedAt: sql`now()`,
      },
    });
}
