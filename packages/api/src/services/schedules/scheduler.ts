import { and, asc, eq, flowExecutions, flows, gte, isNull, lte, scheduleSlots, schedules, type DbOrTx } from "@weft/db";
import { cancelExecution, TransitionRefusedError } from "@weft/engine";
import type { Deps } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { createRun } from "../executions/create-run";
import { planSlots } from "./plan-slots";
import { scheduleView, type ScheduleView } from "./schedule-view";
import { HELD_UNTIL, liveRunsOf, releasableRuns, scheduleIdOfRunKey, scheduleRunKey } from "./scheduled-runs";

export type SchedulerDeps = Pick<Deps, "db" | "executions" | "now">;

export type SchedulerOptions = {
  deps: SchedulerDeps;
  /** The scheduler's clock (default `deps.now`): which slots are due. */
  now?: () => Date;
  /** Pause between two passes of `start()` (default 1000 ms): slots fire at most this late. */
  tickMs?: number;
  /** A slot handled at most this long after its time is on time; later it was missed (default 10 s). */
  graceMs?: number;
  /** Schedules handled per pass at most (default 100; the rest wait for the next pass). */
  batchSize?: number;
  onError?: (error: unknown) => void;
};

export type SlotOutcome = "started" | "queued" | "skipped" | "failed";

export type HandledSlot = {
  scheduleId: string;
  workspaceId: string;
  slotAt: Date;
  outcome: SlotOutcome;
  executionId: string | null;
  error: string | null;
};

export type TickResult = {
  /** Slots this pass recorded (a slot another scheduler recorded first is not here). */
  slots: HandledSlot[];
  /** Queued runs this pass released. */
  released: string[];
};

/** The trigger of a scheduled run: `input.trigger`, read by templates as `{{ trigger.slot }}`. */
export type ScheduleTrigger = { type: "schedule"; scheduleId: string; slot: string; firedAt: string };

type DueSchedule = ScheduleView & { workspaceId: string };

/**
 * The scheduler: fires the slots of due schedules, exactly once each, from any number of processes on
 * one database. A pass (`tick`):
 * 1. releases held `queue_one` runs whose schedule has no other live run;
 * 2. claims due schedules one at a time (enabled, next_run_at <= now, flow not deleted) with
 *    `FOR UPDATE SKIP LOCKED`, so two schedulers never handle the same schedule at once; in that
 *    schedule's transaction it picks the slots by the catch-up policy (planSlots), records each in
 *    `schedule_slots` (primary key schedule + slot, `ON CONFLICT DO NOTHING`: a slot is recorded at
 *    most once, whatever happens to next_run_at), applies the overlap policy, creates the run with
 *    createRun in the same transaction, and advances next_run_at / last_slot_at.
 * A slot whose run cannot be created (invalid flow or input) is recorded as `failed` with the reason.
 */
export function createScheduler(options: SchedulerOptions) {
  const { deps } = options;
  const db = deps.db;
  const clock = options.now ?? deps.now;
  const tickMs = options.tickMs ?? 1000;
  const graceMs = options.graceMs ?? 10_000;
  const batchSize = options.batchSize ?? 100;
  const onError = options.onError ?? ((error: unknown) => console.error("[weft] scheduler error", error));

  async function handleSlot(tx: DbOrTx, s: DueSchedule, slot: Date, firedAt: Date): Promise<HandledSlot | null> {
    const live = await liveRunsOf(tx, { workspaceId: s.workspaceId, flowId: s.flowId, scheduleId: s.id });
    const held = live.find((run) => run.held);
    const active = live.find((run) => !run.held);
    let outcome: SlotOutcome = "started";
    let reason: string | null = null;
    const previous = active ?? held;
    if (s.overlapPolicy === "skip" && previous) {
      outcome = "skipped";
      reason = `The previous run ${previous.id} is still active (overlap policy: skip)`;
    } else if (s.overlapPolicy === "queue_one" && held) {
      outcome = "skipped";
      reason = `A run is already queued (${held.id}) behind the active one (overlap policy: queue_one)`;
    } else if (s.overlapPolicy === "queue_one" && active) {
      outcome = "queued";
    }
    const key = and(eq(scheduleSlots.scheduleId, s.id), eq(scheduleSlots.slotAt, slot));
    const [recorded] = await tx
      .insert(scheduleSlots)
      .values({ scheduleId: s.id, slotAt: slot, workspaceId: s.workspaceId, outcome, error: reason })
      .onConflictDoNothing()
      .returning({ slotAt: scheduleSlots.slotAt });
    if (!recorded) return null;
    const handled: HandledSlot = { scheduleId: s.id, workspaceId: s.workspaceId, slotAt: slot, outcome, executionId: null, error: reason };
    if (outcome === "skipped") return handled;
    const trigger: ScheduleTrigger = { type: "schedule", scheduleId: s.id, slot: slot.toISOString(), firedAt: firedAt.toISOString() };
    const extra = s.input && typeof s.input === "object" && !Array.isArray(s.input) ? s.input : {};
    try {
      // A savepoint: a run that cannot be created leaves the slot (and the rest of the pass) intact.
      const execution = await tx.transaction((sp) =>
        createRun(deps, {
          tx: sp,
          workspaceId: s.workspaceId,
          flowId: s.flowId,
          input: { ...extra, trigger },
          triggerType: "schedule",
          idempotencyKey: scheduleRunKey(s.id, slot),
          wakeAt: outcome === "queued" ? HELD_UNTIL : null,
        }),
      );
      await tx.update(scheduleSlots).set({ executionId: execution.id }).where(key);
      return { ...handled, executionId: execution.id };
    } catch (error) {
      if (!(error instanceof AppError)) onError(error);
      const message = error instanceof AppError ? error.message : "The run could not be created (internal error; see the server log)";
      await tx.update(scheduleSlots).set({ outcome: "failed", error: message }).where(key);
      return { ...handled, outcome: "failed", error: message };
    }
  }

  /** Claims one due schedule and handles its slots; null when none is left for this scheduler. */
  async function fireNext(now: Date): Promise<HandledSlot[] | null> {
    return db.transaction(async (tx) => {
      const [s] = await tx
        .select({ ...scheduleView, workspaceId: schedules.workspaceId })
        .from(schedules)
        .innerJoin(flows, and(eq(flows.id, schedules.flowId), eq(flows.workspaceId, schedules.workspaceId), isNull(flows.deletedAt)))
        .where(and(eq(schedules.enabled, true), lte(schedules.nextRunAt, now)))
        .orderBy(asc(schedules.nextRunAt))
        .limit(1)
        .for("update", { of: schedules, skipLocked: true });
      if (!s) return null;
      const plan = planSlots(s, now, graceMs);
      const handled: HandledSlot[] = [];
      for (const slot of plan.fire) {
        const result = await handleSlot(tx, s, slot, now);
        if (result) handled.push(result);
      }
      await tx
        .update(schedules)
        .set({ nextRunAt: plan.nextRunAt, ...(plan.lastSlotAt ? { lastSlotAt: plan.lastSlotAt } : {}) })
        .where(eq(schedules.id, s.id));
      return handled;
    });
  }

  /**
   * Releases held runs whose schedule has no other live run (the active one ended). The schedule row
   * lock serializes this with the schedule's slot handling on every scheduler.
   */
  async function releaseQueued(): Promise<string[]> {
    const released: string[] = [];
    for (const run of await releasableRuns(db, batchSize)) {
      const scheduleId = scheduleIdOfRunKey(run.key);
      const outcome = await db.transaction(async (tx) => {
        if (!scheduleId) return "orphan" as const;
        const [locked] = await tx
          .select({ id: schedules.id })
          .from(schedules)
          .where(and(eq(schedules.id, scheduleId), eq(schedules.workspaceId, run.workspaceId)))
          .for("update", { skipLocked: true });
        if (!locked) {
          const [exists] = await tx.select({ id: schedules.id }).from(schedules).where(eq(schedules.id, scheduleId));
          return exists ? ("busy" as const) : ("orphan" as const);
        }
        const live = await liveRunsOf(tx, { workspaceId: run.workspaceId, flowId: run.flowId, scheduleId });
        if (live.some((r) => !r.held)) return "waiting" as const;
        const [row] = await tx
          .update(flowExecutions)
          .set({ wakeAt: null })
          .where(and(eq(flowExecutions.id, run.id), eq(flowExecutions.status, "pending"), gte(flowExecutions.wakeAt, HELD_UNTIL)))
          .returning({ id: flowExecutions.id });
        return row ? ("released" as const) : ("gone" as const);
      });
      if (outcome === "released") {
        released.push(run.id);
        await deps.executions.notifyWork(run.id);
      } else if (outcome === "orphan") {
        // Its schedule was deleted and the delete could not cancel it: nothing would ever release it.
        try {
          await cancelExecution(deps.executions, { executionId: run.id, by: null });
        } catch (error) {
          if (!(error instanceof TransitionRefusedError)) throw error;
        }
      }
    }
    return released;
  }

  /** One pass: release queued runs, then fire the due slots (up to `batchSize` schedules). */
  async function tick(): Promise<TickResult> {
    const released = await releaseQueued();
    const now = clock();
    const slots: HandledSlot[] = [];
    for (let i = 0; i < batchSize; i++) {
      const handled = await fireNext(now);
      if (!handled) break;
      slots.push(...handled);
    }
    return { slots, released };
  }

  let stopped = true;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;

  function loop() {
    timer = null;
    running = tick()
      .then(
        () => undefined,
        (error: unknown) => onError(error),
      )
      .finally(() => {
        running = null;
        if (!stopped) timer = setTimeout(loop, tickMs);
      });
  }

  return {
    tick,
    /** Ticks every `tickMs` until stop(). */
    start() {
      if (!stopped) return;
      stopped = false;
      loop();
    },
    /** Stops ticking; resolves once a pass in flight has committed. */
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
