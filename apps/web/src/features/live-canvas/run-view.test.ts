import { describe, expect, it } from "vitest";
import type { StepState } from "../executions/timeline-state";
import { applyFlows, applyRuns, edgeFlow, nodeRuns, runTotals, type BaseNode, type NodeRun, type RunStep } from "./run-view";

const step = (nodeId: string, status: StepState["status"], extra: Partial<StepState> = {}): StepState => ({
  key: `${nodeId}#${extra.iteration ?? ""}`,
  nodeId,
  iteration: null,
  blockType: "function",
  status,
  attempt: 1,
  durationMs: null,
  metrics: null,
  text: "",
  logs: [],
  retries: 0,
  failedAttempts: [],
  ...extra,
});
const iteration = (nodeId: string, i: number, status: StepState["status"], extra: Partial<StepState> = {}) =>
  step(nodeId, status, { iteration: String(i), key: `${nodeId}#${i}`, ...extra });

const node = (id: string, type = "function"): BaseNode => ({ id, type, position: { x: 0, y: 0 }, data: { config: {} } });

describe("nodeRuns", () => {
  it("gives one status per node: completed with its duration, failed with its error", () => {
    const runs = nodeRuns([step("in", "completed", { durationMs: 4 }), step("boom", "failed", { error: { code: "USER_CODE", message: "bad input" } })]);
    expect(runs.get("in")).toEqual({ status: "completed", durationMs: 4, iterations: 0, error: null });
    expect(runs.get("boom")).toEqual({ status: "failed", durationMs: null, iterations: 0, error: "bad input" });
    expect(runs.has("out")).toBe(false);
  });

  it("aggregates loop iterations: running if any runs, else failed if any failed, else completed; durations summed", () => {
    const done = [iteration("wait", 0, "completed", { durationMs: 50 }), iteration("wait", 1, "completed", { durationMs: 51 })];
    expect(nodeRuns([...done, iteration("wait", 2, "running")]).get("wait")).toEqual({ status: "running", durationMs: 101, iterations: 3, error: null });
    expect(nodeRuns([...done, iteration("wait", 2, "failed", { error: { message: "nope" } })]).get("wait")).toMatchObject({
      status: "failed",
      error: "Iteration 2: nope",
    });
    expect(nodeRuns(done).get("wait")).toMatchObject({ status: "completed", durationMs: 101, iterations: 2 });
    expect(nodeRuns([iteration("b", 0, "skipped"), iteration("b", 1, "skipped")]).get("b")?.status).toBe("skipped");
    expect(nodeRuns([iteration("b", 0, "skipped"), iteration("b", 1, "completed")]).get("b")?.status).toBe("completed");
    expect(nodeRuns([step("gate", "waiting")]).get("gate")?.status).toBe("waiting");
  });
});

describe("runTotals", () => {
  const runs = new Map<string, NodeRun>([
    ["a", { status: "completed", durationMs: 1, iterations: 0, error: null }],
    ["b", { status: "skipped", durationMs: null, iterations: 0, error: null }],
    ["c", { status: "running", durationMs: null, iterations: 0, error: null }],
  ]);
  const stored = { tokens: 99, costUsd: 1.5 };

  it("counts completed and skipped nodes as done out of all nodes", () => {
    expect(runTotals(["a", "b", "c", "d"], runs, [], stored)).toEqual({ done: 2, total: 4, tokens: 99, costUsd: 1.5 });
  });

  it("sums tokens and cost from step metrics, unknown when a step with tokens has no price", () => {
    const withMetrics = (metrics: RunStep["metrics"]): RunStep => ({ ...step("x", "completed"), metrics });
    const priced = [withMetrics({ tokensIn: 10, tokensOut: 5, costUsd: 0.25 }), withMetrics({ tokensIn: 1, tokensOut: 1, costUsd: 0.5 })];
    expect(runTotals([], runs, priced, stored)).toMatchObject({ tokens: 17, costUsd: 0.75 });
    expect(runTotals([], runs, [...priced, withMetrics({ tokensIn: 3, tokensOut: 0, costUsd: null })], stored)).toMatchObject({ tokens: 20, costUsd: null });
    expect(runTotals([], runs, [withMetrics({})], stored)).toMatchObject({ tokens: 0, costUsd: 0 });
    // Steps without metrics (functions, delays) cost nothing: $0, not the stored run's pending null.
    expect(runTotals([], runs, [step("f", "completed")], { tokens: null, costUsd: null })).toMatchObject({ tokens: 0, costUsd: 0 });
  });
});

describe("applyRuns / applyFlows", () => {
  it("keeps the objects of nodes and edges whose run did not change", () => {
    const base = [node("in", "source"), node("boom"), node("out", "sink")];
    const first = applyRuns(base, new Map([["in", { status: "running", durationMs: null, iterations: 0, error: null }]]));
    expect(first.map((n) => n.data.run.status)).toEqual(["running", "pending", "pending"]);
    expect(first[1]!.ariaLabel).toBe("Function (boom): Pending");

    const second = applyRuns(
      first,
      new Map<string, NodeRun>([
        ["in", { status: "completed", durationMs: 3, iterations: 0, error: null }],
        ["boom", { status: "failed", durationMs: null, iterations: 0, error: "bad input" }],
      ]),
    );
    expect(second[0]).not.toBe(first[0]);
    expect(second[2]).toBe(first[2]);
    expect(second[1]!.ariaLabel).toBe("Function (boom): Failed. Error: bad input");
    expect(second[1]!.zIndex).toBeGreaterThan(0);

    const edges = [
      { id: "e1", source: "in", target: "boom" },
      { id: "e2", source: "boom", target: "out" },
    ];
    const running = new Map<string, NodeRun>([
      ["in", { status: "completed", durationMs: 3, iterations: 0, error: null }],
      ["boom", { status: "running", durationMs: null, iterations: 0, error: null }],
    ]);
    const flows = applyFlows(edges, running);
    expect(flows.map((e) => [e.animated, e.data?.flow])).toEqual([
      [true, "active"],
      [false, "idle"],
    ]);
    const again = applyFlows(flows, new Map(running));
    expect(again[0]).toBe(flows[0]);
    expect(again[1]).toBe(flows[1]);
  });

  it("animates an edge only from a completed node to a running one", () => {
    const runs = (a: NodeRun["status"], b: NodeRun["status"]) =>
      new Map<string, NodeRun>([
        ["a", { status: a, durationMs: null, iterations: 0, error: null }],
        ["b", { status: b, durationMs: null, iterations: 0, error: null }],
      ]);
    const e = { source: "a", target: "b" };
    expect(edgeFlow(e, runs("completed", "running"))).toBe("active");
    expect(edgeFlow(e, runs("completed", "completed"))).toBe("done");
    expect(edgeFlow(e, runs("running", "running"))).toBe("idle");
    expect(edgeFlow(e, runs("completed", "pending"))).toBe("idle");
  });
});
