import { describe, expect, it } from "vitest";
import { loopItems, loopNext, whileScope } from "./loop";

describe("loopItems", () => {
  it.each([
    [[1, 2], { ok: true, items: [1, 2] }],
    [[], { ok: true, items: [] }],
    [null, { ok: false, error: { code: "LOOP_NOT_ARRAY", message: 'Loop l: "over" must give an array, got null' } }],
    ["abc", { ok: false, error: { code: "LOOP_NOT_ARRAY", message: 'Loop l: "over" must give an array, got string' } }],
    [{ a: 1 }, { ok: false, error: { code: "LOOP_NOT_ARRAY", message: 'Loop l: "over" must give an array, got object' } }],
    [undefined, { ok: false, error: { code: "LOOP_NOT_ARRAY", message: 'Loop l: "over" must give an array, got undefined' } }],
  ])("%o", (rendered, expected) => {
    expect(loopItems("l", rendered)).toEqual(expected);
  });
});

describe("loopNext", () => {
  it.each([
    ["no more items", { index: 3, more: false, parent: "", config: {} }, { type: "done" }],
    ["no more even at the cap", { index: 100, more: false, parent: "", config: {} }, { type: "done" }],
    ["first iteration at the top level", { index: 0, more: true, parent: "", config: {} }, { type: "iterate", path: "0" }],
    ["nested iteration path", { index: 1, more: true, parent: "2", config: {} }, { type: "iterate", path: "2.1" }],
    ["deeply nested", { index: 0, more: true, parent: "2.1", config: {} }, { type: "iterate", path: "2.1.0" }],
    ["last allowed iteration", { index: 4, more: true, parent: "", config: { maxIterations: 5 } }, { type: "iterate", path: "4" }],
    [
      "one past the cap",
      { index: 5, more: true, parent: "", config: { maxIterations: 5 } },
      { type: "limit", error: { code: "LOOP_LIMIT", message: "Loop l reached its maxIterations limit of 5" } },
    ],
    [
      "default cap of 100",
      { index: 100, more: true, parent: "", config: {} },
      { type: "limit", error: { code: "LOOP_LIMIT", message: "Loop l reached its maxIterations limit of 100" } },
    ],
  ])("%s", (_name, input, expected) => {
    expect(loopNext({ nodeId: "l", ...input })).toEqual(expected);
  });
});

describe("whileScope", () => {
  it("starts from the loop input, then the previous iteration's output", () => {
    expect(whileScope({ n: 1 }, 0, [])).toEqual({ input: { n: 1 }, iteration: 0, item: { n: 1 }, outputs: [] });
    expect(whileScope({ n: 1 }, 2, ["a", "b"])).toEqual({ input: { n: 1 }, iteration: 2, item: "b", outputs: ["a", "b"] });
  });
});
