import { describe, expect, it } from "vitest";
import { isBlockType } from "../schema";
import { exportFlow } from "./export";
import { parseFlowFile, type FileProblem } from "./import";
import { flowFileJsonSchema } from "./json-schema";

// Copies of ../shared/examples (the inherited shapes the importer must accept).
import stageExample from "../../test/fixtures/stage-workflow.yml?raw";
import stepExample from "../../test/fixtures/step-workflow.yaml?raw";

function problems(text: string, format?: "yaml" | "json"): FileProblem[] {
  const result = parseFlowFile(text, format ? { format } : {});
  if (result.ok) throw new Error("expected problems");
  return result.problems;
}

const minimal = `format: weft/v1
name: Double
inputSchema:
  type: object
  properties:
    n: { type: number }
nodes:
  - id: start
    type: source
  - id: double
    type: function
    phase: work
    config:
      code: "return { n: input.n * 2 };"
  - id: end
    type: sink
edges:
  - { source: start, target: double }
  - { source: double, target: end }
`;

describe("parseFlowFile", () => {
  it("imports a hand-written file: schema into the Start block, default edge ids, laid-out positions", () => {
    const result = parseFlowFile(minimal);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { nodes, edges } = result.flow;
    expect(nodes[0]!.data.config).toEqual({ inputSchema: { type: "object", properties: { n: { type: "number" } } } });
    expect(edges.map((e) => e.id)).toEqual(["start->double", "double->end"]);
    const spots = new Set(nodes.map((n) => `${n.position.x},${n.position.y}`));
    expect(spots.size).toBe(3);
    // Left to right in edge order.
    expect(nodes[0]!.position.x).toBeLessThan(nodes[1]!.position.x);
    expect(nodes[1]!.position.x).toBeLessThan(nodes[2]!.position.x);
    expect(exportFlow(result.flow, "yaml")).toContain("phases:\n  - work\n");
  });

  it("gives the line and column of a YAML syntax error", () => {
    const [p] = problems("format: weft/v1\nname: x\nnodes:\n  - id: a\n    type: [source\n");
    expect(p).toMatchObject({ kind: "syntax" });
    expect(p!.line).toBeGreaterThanOrEqual(5);
    expect(p!.column).toBeGreaterThan(0);
  });

  it("gives the line and column of a JSON syntax error, and refuses YAML sent as JSON", () => {
    const [p] = problems('{\n  "format": "weft/v1",\n  "name": "x",\n  "nodes": [,]\n}', "json");
    expect(p).toMatchObject({ kind: "syntax", line: 4 });
    expect(problems("format: weft/v1\nname: x\n", "json")[0]).toMatchObject({ kind: "syntax" });
  });

  it("gives the path (and line) of a schema error", () => {
    const found = problems(minimal.replace("  - id: double\n", "  - id: dou ble\n").replace("name: Double", "name: Double\ncolour: red"));
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "schema", path: "nodes[1].id", line: 11 }),
        expect.objectContaining({ kind: "schema", path: "colour", line: 3, message: expect.stringContaining("colour") }),
      ]),
    );
  });

  it("gives the node id and field of a graph error", () => {
    const found = problems(minimal.replace('code: "return { n: input.n * 2 };"', "cod: return 1"));
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "graph", nodeId: "double", field: "config.cod", path: "nodes[1].config.cod", line: 14 }),
        expect.objectContaining({ kind: "graph", nodeId: "double", field: "config.code" }),
      ]),
    );
  });

  it("refuses a node phase that is not in phases, naming the node", () => {
    const found = problems(minimal.replace("inputSchema:", "phases: [other]\ninputSchema:"));
    expect(found).toEqual([expect.objectContaining({ kind: "graph", nodeId: "double", field: "phase" })]);
  });

  it("says what it expected from something that is not a flow", () => {
    expect(problems("hello: world\n")[0]!.message).toMatch(/weft\/v1.*steps.*stages/);
    expect(problems("- a\n- b\n")[0]!.message).toMatch(/mapping/);
  });
});

describe("inherited shapes", () => {
  it("maps a step workflow: steps in order, phases kept, argsSchema as the input schema, {{ args.x }} to the run input", () => {
    const text = `name: Greet
argsSchema:
  type: object
  properties: { who: { type: string } }
phases: [prepare, send]
steps:
  - id: shape
    name: Shape the greeting
    phase: prepare
    type: function
    code: "return { text: 'hi' };"
    retries: 2
    retry_backoff: 1500
    on_failure: continue
  - id: post
    phase: send
    type: http
    method: POST
    url: "https://example.com/greet/{{ args.who }}"
    timeout: 5000
`;
    const result = parseFlowFile(text);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.flow.kind).toBe("steps");
    const byId = Object.fromEntries(result.flow.nodes.map((n) => [n.id, n]));
    expect(result.flow.nodes.map((n) => n.id)).toEqual(["start", "shape", "post", "end"]);
    expect(result.flow.edges.map((e) => e.id)).toEqual(["start->shape", "shape->post", "post->end"]);
    expect(byId.start!.data.config).toEqual({ inputSchema: { type: "object", properties: { who: { type: "string" } } } });
    expect(byId.shape!.data).toMatchObject({ label: "Shape the greeting", phase: "prepare", onFailure: "continue", retry: { maxAttempts: 3, initialDelayMs: 1500 } });
    expect(byId.post!.data).toMatchObject({ phase: "send", timeoutMs: 5000, config: { method: "POST", url: "https://example.com/greet/{{ nodes.start.output.who }}" } });
  });

  it("answers the step example with a problem naming each runner step and its type (until runner blocks exist)", () => {
    const result = parseFlowFile(stepExample);
    if (isBlockType("script") && isBlockType("agent")) {
      expect(result.ok).toBe(true);
      return;
    }
    expect(result.ok).toBe(false);
    const found = result.ok ? [] : result.problems;
    expect(found.map((p) => [p.kind, p.path])).toEqual([
      ["unsupported", "steps[0].type"],
      ["unsupported", "steps[1].type"],
      ["unsupported", "steps[3].type"],
    ]);
    expect(found[1]!.message).toContain('Step "draft-notes" has type "agent"');
    expect(found[1]!.line).toBe(32);
  });

  it("answers the stage example with a problem naming each stage and the agent type (until runner blocks exist)", () => {
    const result = parseFlowFile(stageExample);
    if (isBlockType("agent")) {
      expect(result.ok).toBe(true);
      return;
    }
    const found = result.ok ? [] : result.problems;
    expect(found.filter((p) => p.kind === "unsupported").map((p) => p.path)).toEqual(
      ["plan", "code", "test", "check", "report"].map((s) => `stageConfigs.${s}.provider`),
    );
  });

  it("reports step problems at their place in the source", () => {
    const found = problems("name: x\nsteps:\n  - id: a\n    type: function\n    code: return 1\n  - id: a\n    type: function\n    code: return 2\n");
    expect(found).toEqual([expect.objectContaining({ path: "steps[1].id", line: 6, message: expect.stringContaining('repeats the step id "a"') })]);
  });
});

describe("flowFileJsonSchema", () => {
  it("types each node's config by its block type", () => {
    const schema = flowFileJsonSchema() as { $id: string; properties: { nodes: { items: { anyOf: { properties: { type: { const: string }; config: unknown } }[] } } } };
    expect(schema.$id).toBe("/api/v1/schemas/flow-v1.json");
    const http = schema.properties.nodes.items.anyOf.find((s) => s.properties.type.const === "http");
    expect(JSON.stringify(http!.properties.config)).toContain('"method"');
  });
});
