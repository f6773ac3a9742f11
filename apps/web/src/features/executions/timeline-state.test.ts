import { describe, expect, it } from "vitest";
import { advanceTimeline, emptyTimeline, withStoredBlocks, type StoredBlock } from "./timeline-state";

describe("withStoredBlocks", () => {
  it("adds stored block rows the events have not described", () => {
    const metrics = { durationMs: 7, tokensIn: null, tokensOut: null, costUsd: null };
    const block = (nodeId: string, status: string, iteration: string | null = null): StoredBlock => ({
      nodeId,
      iteration,
      blockType: "function",
      status,
      attempt: 2,
      output: { ok: true },
      error: null,
      metrics,
    });
    const { steps } = advanceTimeline(emptyTimeline, [{ index: 0, event: { type: "node_complete", nodeId: "in", output: null } }]);
    const merged = withStoredBlocks(steps, [block("in", "completed"), block("out", "running"), block("odd", "weird"), block("loop", "completed", "1")]);
    expect(merged.map((s) => [s.key, s.status])).toEqual([
      ["in#", "completed"],
      ["out#", "running"],
      ["odd#", "pending"],
      ["loop#1", "completed"],
    ]);
    expect(merged[0]).toBe(steps[0]);
    expect(merged[1]).toMatchObject({ blockType: "function", attempt: 2, output: { ok: true }, error: null, durationMs: 7, metrics, text: "", logs: [], retries: 0 });
    expect(withStoredBlocks(steps, [])).toBe(steps);
  });
});

describe("advanceTimeline parses with the event union", () => {
  it("counts an event that does not parse but changes no step with it, and reads a legacy string cost as a number", () => {
    const state = advanceTimeline(emptyTimeline, [
      { index: 0, event: { type: "execution_start" } },
      { index: 1, event: { type: "node_start", nodeId: "a" } }, // no blockType, no attempt: malformed
      { index: 2, event: { type: "node_exploded", nodeId: "b" } }, // a type this client does not know
      { index: 3, event: { type: "node_complete", nodeId: "c", output: 1, durationMs: 5, metrics: { tokensIn: 2, costUsd: "0.50000000" } } },
    ]);
    expect(state.count).toBe(4);
    expect(state.status).toBe("running");
    expect(state.steps.map((s) => [s.key, s.status])).toEqual([["c#", "completed"]]);
    expect(state.steps[0]?.metrics).toEqual({ tokensIn: 2, costUsd: 0.5 });
  });
});
