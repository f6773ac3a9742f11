import { describe, expect, it } from "vitest";
import { runOutput, runTotals, visibleOutputs, type NodeRun } from "./run-output";

const run = (nodeId: string, iteration: string, status: string, output?: unknown, metrics?: NodeRun["metrics"]): NodeRun => ({ nodeId, iteration, status, output, metrics });

describe("runOutput", () => {
  const runs = new Map([
    ["a", run("a", "", "completed", { x: 1 })],
    ["b", run("b", "", "completed", 2)],
    ["c", run("c", "", "skipped")],
  ]);
  it.each([
    ["one completed sink gives its output", ["a"], { x: 1 }],
    ["a skipped sink is left out", ["a", "c"], { x: 1 }],
    ["several completed sinks are keyed by id", ["a", "b"], { a: { x: 1 }, b: 2 }],
    ["no completed sink gives an empty object", ["c"], {}],
    ["a completed sink with no output gives null", ["n"], null],
  ])("%s", (_name, sinks, expected) => {
    const withNull = new Map(runs).set("n", run("n", "", "completed", undefined));
    expect(runOutput(sinks, (id) => withNull.get(id))).toEqual(expected);
  });
});

describe("runTotals", () => {
  it.each([
    ["no metrics", [run("a", "", "completed")], { tokensIn: 0, tokensOut: 0, costUsd: "0.00000000" }],
    [
      "sums tokens and known costs",
      [run("a", "", "completed", 1, { tokensIn: 10, tokensOut: 5, costUsd: 0.001 }), run("b", "0", "completed", 1, { tokensIn: 1, tokensOut: 2, costUsd: 0.0005 })],
      { tokensIn: 11, tokensOut: 7, costUsd: "0.00150000" },
    ],
    [
      "an AI node with an unknown price makes the cost unknown",
      [run("a", "", "completed", 1, { tokensIn: 10, tokensOut: 5, costUsd: null }), run("b", "", "completed", 1, { tokensIn: 1, tokensOut: 1, costUsd: 0.1 })],
      { tokensIn: 11, tokensOut: 6, costUsd: null },
    ],
    ["a null cost without tokens is not an AI call", [run("a", "", "completed", 1, { costUsd: null })], { tokensIn: 0, tokensOut: 0, costUsd: "0.00000000" }],
  ])("%s", (_name, runs, expected) => {
    expect(runTotals(runs)).toEqual(expected);
  });
});

describe("visibleOutputs", () => {
  const runs = [
    run("top", "", "completed", "T"),
    run("step", "0", "completed", "S0"),
    run("step", "1", "completed", "S1"),
    run("inner", "1.0", "completed", "I10"),
    run("inner", "1.1", "completed", "I11"),
    run("failed", "", "failed"),
    run("shadow", "", "completed", "outer"),
    run("shadow", "1", "completed", "inner"),
  ];
  it.each([
    ["the top level sees only the top level", "", { top: "T", shadow: "outer" }],
    ["an iteration sees its own rows and the top level", "0", { top: "T", step: "S0", shadow: "outer" }],
    ["the innermost row wins", "1", { top: "T", step: "S1", shadow: "inner" }],
    ["a nested iteration sees its parents", "1.1", { top: "T", step: "S1", inner: "I11", shadow: "inner" }],
  ])("%s", (_name, iteration, expected) => {
    const seen = visibleOutputs(runs, iteration);
    expect(Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, v.output]))).toEqual(expected);
  });
});
