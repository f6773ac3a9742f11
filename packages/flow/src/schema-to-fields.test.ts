import { describe, expect, it } from "vitest";
import { type z } from "zod";
import { blockConfigSchemas, blockTypes } from "./schema";
import { configProblems, fieldShown, schemaToFields } from "./schema-to-fields";
import "./block-fields";

describe("schemaToFields", () => {
  it("gives every field of every block type a label, a widget and an order, sorted by order", () => {
    for (const type of blockTypes) {
      const fields = schemaToFields(type);
      expect(fields.map((f) => f.key).sort()).toEqual(Object.keys((blockConfigSchemas[type] as unknown as z.ZodObject).shape).sort());
      for (const field of fields) {
        expect(field.label.length, `${type}.${field.key}`).toBeGreaterThan(0);
        expect(field.widget, `${type}.${field.key}`).toBeTruthy();
      }
      const orders = fields.map((f) => f.order);
      expect(orders).toEqual([...orders].sort((a, b) => a - b));
    }
  });

  it("reads required, choices with names, defaults and bounds from the schema", () => {
    const http = schemaToFields("http");
    expect(http.map((f) => f.key)).toEqual(["method", "url", "headers", "body", "timeoutMs"]);
    const method = http.find((f) => f.key === "method")!;
    expect(method).toMatchObject({ label: "Method", widget: "select", required: false, default: "GET" });
    expect(method.choices?.map((c) => c.value)).toEqual(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]);
    expect(http.find((f) => f.key === "url")).toMatchObject({ label: "URL", required: true, widget: "template" });
    const router = schemaToFields("router");
    expect(router.find((f) => f.key === "mode")!.choices).toEqual([
      { value: "expression", label: "Conditions (JavaScript)" },
      { value: "ai", label: "An AI model" },
    ]);
    const loop = schemaToFields("loop").find((f) => f.key === "maxIterations")!;
    expect(loop).toMatchObject({ minimum: 1, maximum: 10_000, integer: true, default: 100 });
  });

  it("puts the metadata where .meta() would: the schema's global registry entry", () => {
    const url = (blockConfigSchemas.http as unknown as z.ZodObject).shape.url as z.ZodType;
    expect(url.meta()).toMatchObject({ label: "URL", widget: "template" });
  });

  it("shows fields by their showWhen, counting defaults, and never hides a field holding a value", () => {
    const router = schemaToFields("router");
    const model = router.find((f) => f.key === "model")!;
    expect(fieldShown(model, router, {})).toBe(false);
    expect(fieldShown(model, router, { mode: "ai" })).toBe(true);
    expect(fieldShown(model, router, { model: "gpt-4o" })).toBe(true);
    const http = schemaToFields("http");
    const body = http.find((f) => f.key === "body")!;
    expect(fieldShown(body, http, {})).toBe(false);
    expect(fieldShown(body, http, { method: "POST" })).toBe(true);
  });

  it("names problems by field, and by path inside a field", () => {
    const problems = configProblems("router", { routes: [{ handle: "a", when: "x" }, { handle: "a", when: "" }] });
    expect(problems.get("routes.1.when")).toBe("must not be empty");
    expect(problems.get("routes")).toMatch(/when: must not be empty|handle: repeats/);
    expect(configProblems("function", { code: "" }).get("code")).toBe("must not be empty");
    expect(configProblems("function", { code: "return 1;" }).size).toBe(0);
  });
});
