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

describe("attempts after a fix-and-continue", () => {
  it("keep the failed attempt listed while the re-run is attempt 2", () => {
    const events = [
      { type: "execution_start" },
      { type: "node_start", nodeId: "b", blockType: "function", attempt: 1 },
      { type: "node_error", nodeId: "b", attempt: 1, error: { code: "USER_ERROR", message: "boom" } },
      { type: "execution_error", error: { code: "USER_ERROR", message: "boom", nodeId: "b" } },
      { type: "execution_resumed", fromNodeId: "b" },
      { type: "node_start", nodeId: "b", blockType: "function", attempt: 2 },
      { type: "node_complete", nodeId: "b", output: 1, durationMs: 3 },
    ].map((event, index) => ({ index, event }));
    const { steps, status } = advanceTimeline(emptyTimeline, events);
    expect(status).toBe("running");
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ status: "completed", attempt: 2, failedAttempts: [{ attempt: 1, error: { code: "USER_ERROR", message: "boom" } }] });
  });
});
