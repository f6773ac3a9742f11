import { describe, expect, it } from "vitest";
import { diffLines, metricDeltas, outputText } from "./compare";

describe("diffLines", () => {
  it("keeps common lines and marks the removed and added ones in order", () => {
    expect(diffLines("a\nb\nc", "a\nx\nc\nd")).toEqual([
      { kind: "same", text: "a" },
      { kind: "removed", text: "b" },
      { kind: "added", text: "x" },
      { kind: "same", text: "c" },
      { kind: "added", text: "d" },
    ]);
  });
  it("handles empty sides", () => {
    expect(diffLines("", "")).toEqual([]);
    expect(diffLines("", "a")).toEqual([{ kind: "added", text: "a" }]);
    expect(diffLines("a", "")).toEqual([{ kind: "removed", text: "a" }]);
  });
});

describe("outputText", () => {
  it("shows an AI answer's text, other values as JSON", () => {
    expect(outputText({ text: "hi", model: "m", usage: {} })).toBe("hi");
    expect(outputText({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(outputText("plain")).toBe("plain");
    expect(outputText(null)).toBe("");
  });
});

describe("metricDeltas", () => {
  it("gives b - a, null when unknown, and whether it got better", () => {
    const a = { durationMs: 100, ttftMs: 50, tokensPerSecond: 10, tokensIn: 5, tokensOut: 7, costUsd: null };
    const b = { durationMs: 80, ttftMs: 50, tokensPerSecond: 12, tokensIn: 6, tokensOut: 7, costUsd: 0.1 };
    const byKey = Object.fromEntries(metricDeltas(a, b).map((d) => [d.key, d]));
    expect(byKey.durationMs).toMatchObject({ delta: -20, better: true });
    expect(byKey.ttftMs).toMatchObject({ delta: 0, better: null });
    expect(byKey.tokensPerSecond).toMatchObject({ delta: 2, better: true });
    expect(byKey.tokensIn).toMatchObject({ delta: 1, better: false });
    expect(byKey.costUsd).toMatchObject({ delta: null, better: null });
  });
});
