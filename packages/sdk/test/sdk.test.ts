import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FlowValidationError, exportFlow, parseFlowFile } from "@weft/flow";
import { defineFlow, fn, http, router, sink, source, toFile } from "../src/index";

/** The same flow twice: in TypeScript and as its YAML twin. */
const sdkFlow = () =>
  defineFlow({
    name: "Triage",
    description: "Routes by size",
    inputSchema: z.object({ n: z.number(), note: z.string().optional() }),
    phases: ["measure", "act"],
    nodes: [
      source("start"),
      fn("size", "return { big: input.n > 10, n: input.n };", { label: "Size", phase: "measure", retry: { maxAttempts: 3 } }),
      router("route", { routes: [{ handle: "big", when: "input.big" }], default: "small" }, { phase: "act" }),
      http("notify", { method: "POST", url: "https://example.com/hook", body: { n: "{{ input.n }}" } }, { phase: "act", onFailure: "continue", timeoutMs: 5000 }),
      sink("done"),
      sink("skip", { value: "small" }),
    ],
    edges: [["start", "size"], ["size", "route"], ["route", "notify", "big"], ["route", "skip", "small"], ["notify", "done"]],
  });

const yamlTwin = `format: weft/v1
name: Triage
description: Routes by size
inputSchema:
  type: object
  properties:
    n: { type: number }
    note: { type: string }
  required: [n]
phases: [measure, act]
nodes:
  - { id: start, type: source }
  - id: size
    type: function
    label: Size
    phase: measure
    config: { code: "return { big: input.n > 10, n: input.n };" }
    retry: { maxAttempts: 3 }
  - id: route
    type: router
    phase: act
    config:
      routes: [{ handle: big, when: input.big }]
      default: small
  - id: notify
    type: http
    phase: act
    config: { method: POST, url: "https://example.com/hook", body: { n: "{{ input.n }}" } }
    onFailure: continue
    timeoutMs: 5000
  - { id: done, type: sink }
  - { id: skip, type: sink, config: { value: small } }
edges:
  - { source: start, target: size }
  - { source: size, target: route }
  - { source: route, sourceHandle: big, target: notify }
  - { source: route, sourceHandle: small, target: skip }
  - { source: notify, target: done }
`;

describe("@weft/sdk", () => {
  it("gives the same graph as the flow's YAML twin, and the same file", () => {
    const twin = parseFlowFile(yamlTwin);
    if (!twin.ok) throw new Error(JSON.stringify(twin.problems));
    const flow = sdkFlow();
    expect(flow.nodes).toEqual(twin.flow.nodes);
    expect(flow.edges).toEqual(twin.flow.edges);
    expect(toFile(flow)).toBe(exportFlow(twin.flow, "yaml"));
    expect(toFile(flow, "json")).toBe(exportFlow(twin.flow, "json"));
  });

  it("validates with the same schemas: a bad config or a dangling edge throws naming the node", () => {
    expect(() =>
      defineFlow({ name: "Bad", nodes: [source(), http("call", { url: "" }), sink()], edges: [["start", "call"], ["call", "end"]] }),
    ).toThrow(FlowValidationError);
    try {
      defineFlow({ name: "Bad", nodes: [source(), fn("f", "return 1;"), sink()], edges: [["start", "f"], ["f", "nowhere"]] });
    } catch (error) {
      expect((error as FlowValidationError).problems).toEqual(expect.arrayContaining([expect.objectContaining({ code: "dangling_edge" })]));
    }
  });
});
