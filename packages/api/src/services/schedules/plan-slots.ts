import type { Schedule } from "@weft/db";
import { latestSlots, nextSlot } from "./cron";

export type SlotPlan = {
  /** Slots to handle now (start, queue or skip by the overlap policy), oldest first. */
  fire: Date[];
  /** The newest slot that came (fired or not), for `last_slot_at`. */
  lastSlotAt: Date | null;
  /** The first slot after `now`: the schedule's next `next_run_at` (null: it never matches again). */
  nextRunAt: Date | null;
};

export type PlannedSchedule = Pick<Schedule, "cron" | "timezone" | "nextRunAt" | "catchupPolicy" | "catchupWindowMs" | "catchupMax">;

/**
 * Which of a due schedule's slots fire now (pure: no I/O; `now` is given). The due slots are the cron
 * times in [next_run_at, now]. The newest one is ON TIME when it is at most `graceMs` old; the others
 * (and a late newest one) were MISSED — the scheduler was not running at their time. Then:
 * - `none`: only an on-time slot fires; missed slots are dropped;
 * - `latest`: the newest due slot fires (on time or missed), once; older ones are dropped;
 * - `all`: the due slots at most `catchupWindowMs` old (an on-time slot always) fire, oldest first,
 *   at most `catchupMax` of them — the newest ones when there are more.
 * Dropped slots are not recorded. Normal operation (one slot due, on time) fires it under every policy.
 */
export function planSlots(schedule: PlannedSchedule, now: Date, graceMs: number): SlotPlan {
  const nextRunAt = nextSlot(schedule.cron, schedule.timezone, now);
  const from = schedule.nextRunAt;
  if (!from || from.getTime() > now.getTime()) return { fire: [], lastSlotAt: null, nextRunAt };
  const wanted = schedule.catchupPolicy === "all" ? Math.max(1, schedule.catchupMax) : 1;
  const due = latestSlots(schedule.cron, schedule.timezone, now, wanted).filter(
    (slot) => slot.getTime() >= from.getTime() && slot.getTime() <= now.getTime(),
  );
  const newest = due.at(-1) ?? null;
  const age = (slot: Date) => now.getTime() - slot.getTime();
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
      fire = due.filter((slot) => age(slot) <= schedule.catchupWindowMs || (slot === newest && onTime));
      break;
  }
  return { fire, lastSlotAt: newest, nextRunAt };
}
