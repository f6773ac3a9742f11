import { describe, expect, it } from "vitest";
import { activeTime } from "./format";

describe("activeTime", () => {
  const t0 = Date.parse("2030-01-01T00:00:00.000Z");
  it("adds the current running interval to the active time, the current pause to the waited time", () => {
    expect(activeTime({ activeMs: 2000, pausedMs: 0, runningSince: new Date(t0), pausedSince: null }, t0 + 1500)).toEqual({ activeMs: 3500, waitedMs: 0, ticking: true });
    expect(activeTime({ activeMs: 2000, pausedMs: 1000, runningSince: null, pausedSince: "2030-01-01T00:00:00.000Z" }, t0 + 4000)).toEqual({
      activeMs: 2000,
      waitedMs: 5000,
      ticking: false,
    });
  });
  it("before the clock ticks (server render), only what is recorded", () => {
    expect(activeTime({ activeMs: 48, pausedMs: 26_000, runningSince: new Date(t0), pausedSince: null }, null)).toEqual({ activeMs: 48, waitedMs: 26_000, ticking: true });
  });
});
