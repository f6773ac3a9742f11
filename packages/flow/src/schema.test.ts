import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  FlowGraph,
  LoopConfig,
  RetryPolicy,
  RouterConfig,
  allowedSourceHandles,
  blockCatalog,
  blockConfigSchemas,
  blockTemplateFields,
  blockTypes,
  isJsonValue,
} from "./schema";

describe("schema", () => {
  it("has a config schema, a catalog entry and template fields for every block type", () => {
    expect(Object.keys(blockConfigSchemas).sort()).toEqual([...blockTypes].sort());
    expect(Object.keys(blockTemplateFields).sort()).toEqual([...blockTypes].sort());
    for (const type of blockTypes) expect(blockCatalog[type].type).toBe(type);
  });

  it("describes handles for the palette", () => {
    expect(blockCatalog.source.handles).toMatchObject({ inputs: false, outputs: "single" });
    expect(blockCatalog.sink.handles).toMatchObject({ inputs: true, outputs: "none" });
    expect(blockCatalog.router.handles.outputs).toBe("named");
    expect(blockCatalog.parallel.handles.outputs).toBe("named");
    expect(blockCatalog.loop.handles).toMatchObject({ outputs: "named", staticOutputs: ["body"], defaultOutput: true });
    expect(blockCatalog.http.handles).toMatchObject({ inputs: true, outputs: "single" });
  });

  it("can describe every config as JSON Schema (for config forms)", () => {
    for (const type of blockTypes) expect(() => z.toJSONSchema(blockConfigSchemas[type], { io: "input" })).not.toThrow();
  });

  it("applies retry defaults", () => {
    expect(RetryPolicy.parse({})).toEqual({ maxAttempts: 1, backoff: "exponential", initialDelayMs: 500, maxDelayMs: 30_000 });
    expect(RetryPolicy.safeParse({ maxAttempts: 21 }).success).toBe(false);
    expect(RetryPolicy.safeParse({ backoff: "linear" }).success).toBe(false);
  });

  it("applies config defaults", () => {
    expect(RouterConfig.parse({ routes: [{ handle: "a", when: "true" }] }).mode).toBe("expression");
    expect(LoopConfig.parse({ over: "{{ input }}" }).maxIterations).toBe(100);
    expect(blockConfigSchemas.parallel.parse({})).toEqual({ merge: "all" });
    expect(blockConfigSchemas.http.parse({ url: "https://x.test" }).method).toBe("GET");
  });

  it("keeps extra canvas keys out of the parsed graph", () => {
    const parsed = FlowGraph.parse({
      nodes: [{ id: "a", type: "source", position: { x: 0, y: 0 }, data: { config: {}, color: "red" }, selected: true }],
      edges: [],
      viewport: { zoom: 1 },
    });
    expect(parsed).toEqual({ nodes: [{ id: "a", type: "source", position: { x: 0, y: 0 }, data: { config: {} } }], edges: [] });
  });

  it("lists the handles an edge may leave a block by", () => {
    const router = RouterConfig.parse({ routes: [{ handle: "a", when: "1" }, { handle: "b", when: "2" }], default: "c" });
    expect(allowedSourceHandles("router", router)).toEqual(["a", "b", "c"]);
    expect(allowedSourceHandles("loop", LoopConfig.parse({ while: "true" }))).toEqual(["body", null]);
    expect(allowedSourceHandles("parallel", { merge: "all" })).toBeUndefined();
    expect(allowedSourceHandles("parallel", { merge: "all", branches: ["x"] })).toEqual(["x"]);
    expect(allowedSourceHandles("function", { code: "return 1" })).toBeUndefined();
  });

  it.each([
    [{ a: [1, "x", null, true, { b: 2 }] }, true],
    [NaN, false],
    [Infinity, false],
    [undefined, false],
    [{ a: undefined }, false],
    [new Date(), false],
    [() => 1, false],
  ])("isJsonValue(%s) = %s", (value, expected) => {
    expect(isJsonValue(value)).toBe(expected);
  });

  it("rejects cyclic values as JSON", () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(isJsonValue(a)).toBe(false);
    const shared = { x: 1 };
    expect(isJsonValue({ a: shared, b: shared })).toBe(true);
  });
});
