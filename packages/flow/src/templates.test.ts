import { describe, expect, it } from "vitest";
import { compileFlow } from "./compile";
import { knownModels } from "./models";
import { flowTemplates, instantiateTemplate, TEMPLATE_CONNECTION_ID } from "./templates";
import { validateFlow } from "./validate";

describe("flow templates", () => {
  it("offers at least three, with unique ids", () => {
    expect(flowTemplates.length).toBeGreaterThanOrEqual(3);
    expect(new Set(flowTemplates.map((t) => t.id)).size).toBe(flowTemplates.length);
  });

  it.each(flowTemplates.map((t) => [t.id, t] as const))("%s validates and compiles", (_id, template) => {
    const result = validateFlow({ nodes: template.nodes, edges: template.edges });
    expect(result.ok ? [] : result.problems).toEqual([]);
    expect(() => compileFlow({ nodes: template.nodes, edges: template.edges })).not.toThrow();
  });

  it.each(flowTemplates.map((t) => [t.id, t] as const))("%s instantiated with a connection validates too", (_id, template) => {
    const graph = instantiateTemplate(template, { connection: { id: "5b0f3c1e-8a8e-4c35-9d6e-0f1f2a3b4c5d", provider: "anthropic" } });
    const result = validateFlow(graph);
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it("puts the workspace's connection and a model of its provider into AI blocks", () => {
    const template = flowTemplates.find((t) => t.needsConnection)!;
    const graph = instantiateTemplate(template, { connection: { id: "5b0f3c1e-8a8e-4c35-9d6e-0f1f2a3b4c5d", provider: "anthropic" } });
    const ai = graph.nodes.find((n) => n.type === "ai")!;
    const config = ai.data.config as { connectionId: string; model: string };
    expect(config.connectionId).toBe("5b0f3c1e-8a8e-4c35-9d6e-0f1f2a3b4c5d");
    expect(knownModels.anthropic).toContain(config.model);
    // The template itself is untouched.
    expect((template.nodes.find((n) => n.type === "ai")!.data.config as { connectionId: string }).connectionId).toBe(TEMPLATE_CONNECTION_ID);
  });

  it("leaves the connection out without one, so the draft asks for it on the AI block", () => {
    const template = flowTemplates.find((t) => t.needsConnection)!;
    const graph = instantiateTemplate(template);
    const ai = graph.nodes.find((n) => n.type === "ai")!;
    expect(ai.data.config).not.toHaveProperty("connectionId");
    const result = validateFlow(graph);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((p) => p.nodeId)).toEqual([ai.id]);
  });

  it("marks exactly the templates with AI blocks as needing a connection", () => {
    for (const template of flowTemplates) {
      expect(template.needsConnection, template.id).toBe(template.nodes.some((n) => n.type === "ai" || (n.type === "router" && (n.data.config as { mode?: string }).mode === "ai")));
    }
  });
});
