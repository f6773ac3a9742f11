import { and, asc, eq, flows, isNull, lte, scheduleSlots, schedules, sql, type DbOrTx, type ScheduleSlotOutcome } from "@weft/db";
import { cancelExecution, TransitionRefusedError } from "@weft/engine";
import type { Deps } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { createRun } from "../executions/create-run";
import { nextSlot } from "./cron";
import { planSlots } from "./plan-slots";
import { scheduleView, type ScheduleView } from "./schedule-view";
import { liveRunsOf, releasableRuns, scheduleIdOfRunKey, scheduleRunKey } from "./scheduled-runs";

export type SchedulerDeps = Pick<Deps, "db" | "executions" | "now">;

export type SchedulerOptions = {
  deps: SchedulerDeps;
  /**
   * The scheduler's clock: which slots are due. Default: the database's clock, read once per pass, so
   * every scheduler on one database agrees whatever its own host's clock says. Tests give a fake one.
   */
  now?: () => Date;
  /** Pause between two ticks of `start()` (default 1000 ms): slots fire at most this late. */
  tickMs?: number;
  /**
   * A slot is on time when it is at most this old at the start of the chain of passes that found it due
   * (default 10 s); later it was missed (downtime), see planSlots.
   */
  graceMs?: number;
  /** Schedules claimed per pass (default 100). A full pass is followed at once by another one. */
  batchSize?: number;
  /** Passes per tick at most (default 100): a tick handles up to batchSize x this many schedules. */
  maxPassesPerTick?: number;
  /** A schedule whose handling fails is retried after this long when its next slot cannot be computed (default 60 s). */
  errorRetryMs?: number;
  onError?: (error: unknown) => void;
};

export type SlotOutcome = ScheduleSlotOutcome;

export type HandledSlot = {
  scheduleId: string;
  workspaceId: string;
  slotAt: Date;
  outcome: SlotOutcome;
  executionId: string | null;
  error: string | null;
};

export type TickResult = {
  /** Slots this tick recorded, `missed` ones included (a slot another scheduler recorded first is not here). */
  slots: HandledSlot[];
  /** Queued runs this tick released. */
  released: string[];
};

/** A schedule could not be handled (an error outside a slot's run creation); it was pushed to a later slot. */
export class ScheduleHandlingError extends Error {
  constructor(
    readonly scheduleId: string,
    readonly retryAt: Date,
    cause: unknown,
  ) {
    super(`Schedule ${scheduleId} could not be handled (retried at ${retryAt.toISOString()}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "ScheduleHandlingError";
  }
}

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
 * A slot whose run cannot be created (invalid flow or input) is recorded as `failed` with the reason;
 * due slots the catch-up policy drops are recorded as `missed`. A pass whose batch comes back full is
 * followed at once by another (up to maxPassesPerTick per tick); lateness is measured at the start of
 * that chain of passes, so a backlog is not mistaken for downtime. Any other error while handling one
 * schedule rolls back that schedule's savepoint, pushes its next_run_at past now and is reported to
 * onError: it cannot block the schedules behind it.
 */
export function createScheduler(options: SchedulerOptions) {
  const { deps } = options;
  const db = deps.db;
  const tickMs = options.tickMs ?? 1000;
  const graceMs = options.graceMs ?? 10_000;
  const batchSize = options.batchSize ?? 100;
  const maxPassesPerTick = options.maxPassesPerTick ?? 100;
  const errorRetryMs = options.errorRetryMs ?? 60_000;
  const onError = options.onError ?? ((error: unknown) => console.error("[weft] scheduler error", error));

  /** The pass's clock: the fake one, or the database's (one query per pass). */
  async function readNow(): Promise<Date> {
    if (options.now) return options.now();
    const result = await db.execute(sql`select (extract(epoch from clock_timestamp()) * 1000)::float8 as ms`);
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ ms: number | string }>;
    const ms = Number(rows[0]?.ms);
    if (!Number.isFinite(ms)) throw new Error("The database did not answer its clock");
    return new Date(Math.round(ms));
  }

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
          held: outcome === "queued",
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

  /** Records the dropped slots as `missed` (a slot already recorded stays as it is). */
  async function recordMissed(tx: DbOrTx, s: DueSchedule, missed: Date[]): Promise<HandledSlot[]> {
    if (missed.length === 0) return [];
    const error = `Missed: no scheduler was running within ${graceMs / 1000} s of this slot, and the catch-up policy (${s.catchupPolicy}) does not fire it`;
    const recorded = await tx
      .insert(scheduleSlots)
      .values(missed.map((slotAt) => ({ scheduleId: s.id, slotAt, workspaceId: s.workspaceId, outcome: "missed" as const, error })))
      .onConflictDoNothing()
      .returning({ slotAt: scheduleSlots.slotAt });
    return recorded
      .map((r) => r.slotAt)
      .sort((a, b) => a.getTime() - b.getTime())
      .map((slotAt) => ({ scheduleId: s.id, workspaceId: s.workspaceId, slotAt, outcome: "missed" as const, executionId: null, error }));
  }

  /** Where a schedule that could not be handled goes next: its next slot after now, or a retry later. */
  function retryAt(s: DueSchedule, now: Date): Date {
    try {
      const next = nextSlot(s.cron, s.timezone, now);
      if (next) return next;
    } catch {
      // An expression or time zone croner refuses (written around the API): retry after errorRetryMs.
    }
    return new Date(now.getTime() + errorRetryMs);
  }

  /**
   * Claims one due schedule and handles its slots; null when none is left for this scheduler. Lateness
   * is measured at `seenAt` (the start of the chain of passes).
   */
  async function fireNext(now: Date, seenAt: Date): Promise<HandledSlot[] | null> {
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
      try {
        // A savepoint: whatever fails here (croner, a query) is undone for this schedule only.
        return await tx.transaction(async (sp) => {
          const plan = planSlots(s, now, graceMs, seenAt);
          const handled = await recordMissed(sp, s, plan.missed);
          for (const slot of plan.fire) {
            const result = await handleSlot(sp, s, slot, now);
            if (result) handled.push(result);
          }
          await sp
            .update(schedules)
            .set({ nextRunAt: plan.nextRunAt, ...(plan.lastSlotAt ? { lastSlotAt: plan.lastSlotAt } : {}) })
            .where(eq(schedules.id, s.id));
          return handled;
        });
      } catch (error) {
        // Still holding the row lock: push the schedule past now so it cannot block the ones behind it.
        const at = retryAt(s, now);
        await tx.update(schedules).set({ nextRunAt: at }).where(eq(schedules.id, s.id));
        onError(new ScheduleHandlingError(s.id, at, error));
        return [];
      }
    });
  }

  /**
   * Releases held runs whose schedule has no other live run (the active one ended). The schedule row
   * lock serializes this with the schedule's slot handling on every scheduler.
   */
  async function releaseQueued(): Promise<string[]> {
    const released: string[] = [];
    for (const run of await releasableRuns(db, batchSize)) {
      try {
        if (await releaseOne(run)) released.push(run.id);
      } catch (error) {
        // One run that cannot be released (or cancelled) must not stop the others.
        onError(error);
      }
    }
    return released;
  }

  /** Releases (or, when its schedule is gone, cancels) one held run; true when released. */
  async function releaseOne(run: Awaited<ReturnType<typeof releasableRuns>>[number]): Promise<boolean> {
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
      return (await deps.executions.releaseHeld(run.id, tx)) ? ("released" as const) : ("gone" as const);
    });
    if (outcome === "released") return true;
    if (outcome === "orphan") {
      // Its schedule was deleted and the delete could not cancel it: nothing would ever release it.
      try {
        await cancelExecution(deps.executions, { executionId: run.id, by: null });
      } catch (error) {
        if (!(error instanceof TransitionRefusedError)) throw error;
      }
    }
    return false;
  }

  /**
   * When the last tick stopped at maxPassesPerTick with a full batch: the start of its chain of passes,
   * which the next tick continues (the schedules still due waited in the backlog, they were not missed).
   */
  let backlogSince: Date | null = null;

  /**
   * One tick: release queued runs, then passes of up to `batchSize` schedules each, back to back while
   * a pass comes back full (at most maxPassesPerTick). Each pass reads the clock once (due = next_run_at
   * <= that now); lateness is measured at the first pass's clock (or the unfinished chain's start).
   */
  async function tick(): Promise<TickResult> {
    const chainStartedAt = backlogSince;
    backlogSince = null;
    let released: string[] = [];
    try {
      released = await releaseQueued();
    } catch (error) {
      onError(error);
    }
    const slots: HandledSlot[] = [];
    let seenAt = chainStartedAt;
    for (let pass = 0; pass < maxPassesPerTick; pass++) {
      const now = await readNow();
      seenAt ??= now;
      let claimed = 0;
      while (claimed < batchSize) {
        const handled = await fireNext(now, seenAt);
        if (!handled) break;
        claimed++;
        slots.push(...handled);
      }
      if (claimed < batchSize) return { slots, released };
    }
    backlogSince = seenAt;
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
        // A tick that stopped with a backlog is followed at once.
        if (!stopped) timer = setTimeout(loop, backlogSince ? 0 : tickMs);
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
