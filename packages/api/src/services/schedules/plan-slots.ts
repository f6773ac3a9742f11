import type { Schedule } from "@weft/db";
import { nextSlot, slotsBetween } from "./cron";

/** At most this many dropped slots of one schedule are recorded as `missed` per pass (the newest). */
export const MAX_MISSED_RECORDED = 100;

export type SlotPlan = {
  /** Slots to handle now (start, queue or skip by the overlap policy), oldest first. */
  fire: Date[];
  /** Due slots that do not fire (dropped by the catch-up policy), oldest first: recorded `missed`. */
  missed: Date[];
  /** The newest slot that came (fired or not), for `last_slot_at`. */
  lastSlotAt: Date | null;
  /** The first slot after `now`: the schedule's next `next_run_at` (null: it never matches again). */
  nextRunAt: Date | null;
};

export type PlannedSchedule = Pick<Schedule, "cron" | "timezone" | "nextRunAt" | "catchupPolicy" | "catchupWindowMs" | "catchupMax">;

/**
 * Which of a due schedule's slots fire now (pure: no I/O; the clocks are given). The due slots are the
 * cron times in [next_run_at, now]. Their lateness is measured at `seenAt` (default `now`): the moment
 * the scheduler could first have handled them, i.e. the start of the chain of back-to-back passes that
 * found the schedule due — a slot that waited behind other schedules in that chain is not late; a slot
 * that came during the chain is not late at all. The newest due slot is ON TIME when it is at most
 * `graceMs` older than `seenAt`; the others (and a late newest one) were MISSED — no scheduler was
 * running at their time. Then:
 * - `none`: only an on-time slot fires;
 * - `latest`: the newest due slot fires (on time or missed), once;
 * - `all`: the due slots at most `catchupWindowMs` older than `seenAt` (an on-time slot always) fire,
 *   oldest first, at most `catchupMax` of them — the newest ones when there are more.
 * Every other due slot is in `missed` (the newest MAX_MISSED_RECORDED of them). Normal operation (one
 * slot due, on time) fires it under every policy.
 */
export function planSlots(schedule: PlannedSchedule, now: Date, graceMs: number, seenAt: Date = now): SlotPlan {
  const nextRunAt = nextSlot(schedule.cron, schedule.timezone, now);
  const from = schedule.nextRunAt;
  if (!from || from.getTime() > now.getTime()) return { fire: [], missed: [], lastSlotAt: null, nextRunAt };
  const wanted = schedule.catchupPolicy === "all" ? Math.max(1, schedule.catchupMax) : 1;
  const due = slotsBetween(schedule.cron, schedule.timezone, from, now, wanted + MAX_MISSED_RECORDED);
  const newest = due.at(-1) ?? null;
  const reference = Math.min(seenAt.getTime(), now.getTime());
  // Negative for a slot that came after `seenAt` (during the chain of passes): not late.
  const age = (slot: Date) => reference - slot.getTime();
  const onTime = newest !== null && age(newest) <= graceMs;
  let fire: Date[];
  switch (schedule.catchupPolicy) {
    case "none":
      fire = onTime && newest ? [newest] : [];
      break;
    case "latest":
      fire = newest ? [newest] : [];
      break;
    case "all":
      fire = due.slice(-wanted).filter((slot) => age(slot) <= schedule.catchupWindowMs || (slot === newest && onTime));
      break;
  }
  const fired = new Set(fire.map((slot) => slot.getTime()));
  const missed = due.filter((slot) => !fired.has(slot.getTime())).slice(-MAX_MISSED_RECORDED);
  return { fire, missed, lastSlotAt: newest, nextRunAt };
}
