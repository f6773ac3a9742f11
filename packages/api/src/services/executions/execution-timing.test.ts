import { describe, expect, it } from "vitest";
import { timingOf } from "./execution-timing";

const at = (s: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, s));
const ev = (type: string, s: number) => ({ type, createdAt: at(s) });

describe("timingOf", () => {
  it("counts running intervals only: the wait for an approval is paused time, the gap after a failure neither", () => {
    const timing = timingOf([
      ev("execution_start", 0),
      ev("execution_paused", 2), // approval requested
      ev("execution_resumed", 30), // approved 28 s later
      ev("execution_error", 33),
      ev("execution_resumed", 100), // fix-and-continue
      ev("execution_complete", 101),
    ]);
    expect(timing).toEqual({ activeMs: 6_000, pausedMs: 28_000, runningSince: null, pausedSince: null });
  });
  it("says since when a run is running or paused", () => {
    expect(timingOf([ev("execution_start", 0), ev("execution_paused", 5)])).toEqual({ activeMs: 5_000, pausedMs: 0, runningSince: null, pausedSince: at(5) });
    expect(timingOf([ev("execution_start", 0), ev("execution_paused", 5), ev("execution_resumed", 9)])).toEqual({
      activeMs: 5_000,
      pausedMs: 4_000,
      runningSince: at(9),
      pausedSince: null,
    });
    expect(timingOf([])).toEqual({ activeMs: 0, pausedMs: 0, runningSince: null, pausedSince: null });
  });
});
