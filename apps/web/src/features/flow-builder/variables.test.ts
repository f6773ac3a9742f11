import { describe, expect, it } from "vitest";
import { outputFields, variablesFor } from "./variables";

const nodes = [
  { id: "start", type: "source", data: { config: { inputSchema: { type: "object", properties: { email: { type: "string" }, "full name": { type: "string" } } } } } },
  { id: "fetch", type: "http", data: { label: "Get user", config: { url: "https://x" } } },
  { id: "ask", type: "ai", data: { config: { outputSchema: { type: "object", properties: { summary: { type: "string" } } } } } },
  { id: "end", type: "sink", data: { config: {} } },
];
const edges = [
  { source: "start", target: "fetch" },
  { source: "fetch", target: "ask" },
  { source: "ask", target: "end" },
];

describe("variablesFor", () => {
  it("lists the block's input fields, the run input and upstream outputs, with what to insert", () => {
    const vars = variablesFor("ask", nodes, edges);
    expect(vars.filter((v) => v.group === "Input").map((v) => v.code)).toEqual(["input", "input.status", "input.headers", "input.body"]);
    expect(vars.filter((v) => v.group === "Run input").map((v) => v.template)).toEqual(["{{ nodes.start.output.email }}", '{{ nodes.start.output["full name"] }}']);
    const fromFetch = vars.filter((v) => v.group === "Get user");
    expect(fromFetch.map((v) => v.template)).toContain("{{ nodes.fetch.output.body }}");
    // Downstream blocks are not in scope.
    expect(vars.some((v) => v.template.includes("nodes.end"))).toBe(false);
  });

  it("prefers the last run's output fields over the declared shape", () => {
    const vars = variablesFor("end", nodes, edges, new Map([["ask", { summary: "x", confidence: 0.9 }]]));
    expect(vars.filter((v) => v.group === "Input").map((v) => v.label)).toEqual(["input", "input.summary", "input.confidence"]);
    expect(outputFields(nodes[2]!, new Map())).toEqual(["summary"]);
  });

  it("right after the Start block, input has the run input's fields", () => {
    const vars = variablesFor("fetch", nodes, edges);
    expect(vars.filter((v) => v.group === "Input").map((v) => v.code)).toEqual(["input", "input.email", 'input["full name"]']);
  });
});
