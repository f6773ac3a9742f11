import { describe, expect, it } from "vitest";
import { MAX_MISSED_RECORDED, planSlots, type PlannedSchedule } from "./plan-slots";

/** The catch-up rules as a table: a 1-minute schedule whose last slot was 12:00, looked at later. */
const minutely = (over: Partial<PlannedSchedule> = {}): PlannedSchedule => ({
  cron: "* * * * *",
  timezone: "UTC",
  nextRunAt: new Date("2030-01-01T12:01:00Z"),
  catchupPolicy: "none",
  catchupWindowMs: 3_600_000,
  catchupMax: 10,
  ...over,
});
const at = (hhmmss: string) => new Date(`2030-01-01T${hhmmss}Z`);
const times = (dates: Date[]) => dates.map((d) => d.toISOString().slice(11, 19));
const grace = 10_000;

describe("planSlots", () => {
  it("fires the one on-time slot under every policy, and moves next_run_at past now", () => {
    for (const catchupPolicy of ["none", "latest", "all"] as const) {
      const plan = planSlots(minutely({ catchupPolicy }), at("12:01:02"), grace);
      expect(times(plan.fire), catchupPolicy).toEqual(["12:01:00"]);
      expect(plan.nextRunAt).toEqual(at("12:02:00"));
      expect(plan.lastSlotAt).toEqual(at("12:01:00"));
    }
  });

  it("fires nothing before next_run_at", () => {
    expect(planSlots(minutely(), at("12:00:59"), grace)).toEqual({ fire: [], missed: [], lastSlotAt: null, nextRunAt: at("12:01:00") });
  });

  it("measures lateness at seenAt (the start of the chain of passes), not at the pass's now", () => {
    // The chain started at 12:01:02 (on time); a backlog delayed this schedule's pass to 12:01:40.
    const backlog = planSlots(minutely(), at("12:01:40"), grace, at("12:01:02"));
    expect(times(backlog.fire)).toEqual(["12:01:00"]);
    expect(backlog.missed).toEqual([]);
    expect(backlog.nextRunAt).toEqual(at("12:02:00"));
    // Without it, the slot is 40 s old: missed.
    expect(times(planSlots(minutely(), at("12:01:40"), grace).missed)).toEqual(["12:01:00"]);
    // A slot that came during the chain is not late at all.
    const during = planSlots(minutely({ nextRunAt: at("12:02:00") }), at("12:02:30"), grace, at("12:01:02"));
    expect(times(during.fire)).toEqual(["12:02:00"]);
    // A chain that starts 30 s after the slot: downtime, missed.
    expect(times(planSlots(minutely(), at("12:01:40"), grace, at("12:01:30")).missed)).toEqual(["12:01:00"]);
  });

  it("records at most the newest MAX_MISSED_RECORDED dropped slots", () => {
    const plan = planSlots(minutely({ nextRunAt: at("10:00:00") }), at("12:30:30"), grace);
    expect(plan.fire).toEqual([]);
    expect(plan.missed).toHaveLength(MAX_MISSED_RECORDED);
    expect(times(plan.missed).at(0)).toBe("10:51:00");
    expect(times(plan.missed).at(-1)).toBe("12:30:00");
  });

  const table: Array<[string, Partial<PlannedSchedule>, string, string[]]> = [
    ["none drops missed slots", { catchupPolicy: "none" }, "12:11:30", []],
    ["none still fires a newest slot within the grace", { catchupPolicy: "none" }, "12:11:05", ["12:11:00"]],
    ["latest fires the newest missed slot once", { catchupPolicy: "latest" }, "12:11:30", ["12:11:00"]],
    ["all fires every missed slot, oldest first", { catchupPolicy: "all" }, "12:05:30", ["12:01:00", "12:02:00", "12:03:00", "12:04:00", "12:05:00"]],
    ["all keeps to the window", { catchupPolicy: "all", catchupWindowMs: 300_000 }, "12:11:30", ["12:07:00", "12:08:00", "12:09:00", "12:10:00", "12:11:00"]],
    ["all keeps the newest catchupMax", { catchupPolicy: "all", catchupMax: 3 }, "12:11:30", ["12:09:00", "12:10:00", "12:11:00"]],
  ];
  it.each(table)("%s", (_name, over, now, expected) => {
    const plan = planSlots(minutely(over), at(now), grace);
    expect(times(plan.fire)).toEqual(expected);
    // Every other due slot (12:01 up to now's minute) is missed.
    const due: string[] = [];
    for (let m = 1; m <= Number(now.slice(3, 5)); m++) due.push(`12:${String(m).padStart(2, "0")}:00`);
    expect(times(plan.missed)).toEqual(due.filter((slot) => !expected.includes(slot)));
    expect(plan.lastSlotAt).toEqual(at("12:" + now.slice(3, 5) + ":00"));
    expect(plan.nextRunAt).toEqual(new Date(at(now).getTime() - (at(now).getTime() % 60_000) + 60_000));
  });
});
