import { describe, expect, it } from "vitest";
import { edge, graph, node, sink, src } from "../test/builders";
import { unknownVariableProblems, variableReferences } from "./variables";

describe("variables", () => {
  const g = graph(
    [
      src("in"),
      node("call", "http", { url: "https://api.example.com/{{ env.REGION }}", headers: { Authorization: "Bearer {{ env.API_TOKEN }}" } }),
      node("code", "function", { code: "return '{{ env.NOT_A_TEMPLATE }}';" }),
      sink("out", { text: "{{ env.REGION }} {{ input.x }}" }),
    ],
    [edge("in", "call"), edge("call", "code"), edge("code", "out")],
  );

  it("finds {{ env.NAME }} in template fields only, with node and field", () => {
    expect(variableReferences(g)).toEqual([
      { nodeId: "call", field: "config.url", name: "REGION" },
      { nodeId: "call", field: "config.headers.Authorization", name: "API_TOKEN" },
      { nodeId: "out", field: "config.value.text", name: "REGION" },
    ]);
  });

  it("reports each use of a variable the workspace does not have", () => {
    expect(unknownVariableProblems(g, ["REGION"])).toEqual([
      {
        code: "unknown_variable",
        nodeId: "call",
        path: "config.headers.Authorization",
        message: 'Block "call": config.headers.Authorization uses {{ env.API_TOKEN }}, but the workspace has no variable API_TOKEN',
      },
    ]);
    expect(unknownVariableProblems(g, ["REGION", "API_TOKEN"])).toEqual([]);
  });
});
