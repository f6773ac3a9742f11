import { describe, expect, it } from "vitest";
import { describeProblems, formFromSchema, initialValues, inputFromForm, schemaProblems } from "./input-form";

const ticketSchema = {
  type: "object",
  properties: {
    subject: { type: "string", title: "Subject", description: "The ticket's subject line" },
    priority: { type: "string", enum: ["low", "normal", "urgent"], default: "normal" },
    retries: { type: "integer", minimum: 0, default: 2 },
    score: { type: "number" },
    notify: { type: "boolean", default: true },
    tags: { type: "array", items: { type: "string" }, minItems: 1 },
    sizes: { type: "array", items: { type: "number" } },
  },
  required: ["subject", "tags"],
};

describe("run input form from a JSON Schema", () => {
  it("generates one field per property, with labels, required markers, descriptions and defaults", () => {
    const fields = formFromSchema(ticketSchema)!;
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ["subject", "string", true],
      ["priority", "enum", false],
      ["retries", "integer", false],
      ["score", "number", false],
      ["notify", "boolean", false],
      ["tags", "list", true],
      ["sizes", "list", false],
    ]);
    expect(fields[0]).toMatchObject({ label: "Subject", description: "The ticket's subject line" });
    expect(initialValues(fields)).toEqual({ subject: "", priority: "1", retries: "2", score: "", notify: true, tags: "", sizes: "" });
  });

  it("falls back to JSON for no schema or anything it cannot show", () => {
    expect(formFromSchema(undefined)).toBeNull();
    expect(formFromSchema({ type: "array" })).toBeNull();
    expect(formFromSchema({ type: "object", properties: { address: { type: "object", properties: {} } } })).toBeNull();
    expect(formFromSchema({ type: "object", properties: { rows: { type: "array", items: { type: "object" } } } })).toBeNull();
    expect(formFromSchema({ type: "object", properties: { id: { oneOf: [{ type: "string" }, { type: "number" }] } } })).toBeNull();
  });

  it("turns values into the input: typed numbers, one list item per line, empty optional fields left out", () => {
    const fields = formFromSchema(ticketSchema)!;
    const values = { ...initialValues(fields), subject: "Refund please", tags: "billing\n\n  refund \n", sizes: "1\n2.5" };
    const { input, errors } = inputFromForm(fields, values);
    expect(errors).toEqual({});
    expect(input).toEqual({ subject: "Refund please", priority: "normal", retries: 2, notify: true, tags: ["billing", "refund"], sizes: [1, 2.5] });
    expect(schemaProblems(ticketSchema, input)).toEqual({});
  });

  it("names the fields that are missing or mistyped", () => {
    const fields = formFromSchema(ticketSchema)!;
    const { errors } = inputFromForm(fields, { ...initialValues(fields), retries: "1.5", sizes: "1\nmany" });
    expect(errors).toEqual({
      subject: "is required",
      retries: "must be a whole number",
      tags: "is required: enter one item per line",
      sizes: "item 2 must be a number",
    });
  });

  it("checks the input against the schema with the engine's validator and names the field", () => {
    const problems = schemaProblems(ticketSchema, { subject: "x", tags: [], retries: -1 });
    expect(problems).toEqual({ tags: "must NOT have fewer than 1 items", retries: "must be >= 0" });
    expect(describeProblems(problems, formFromSchema(ticketSchema)!)).toBe("retries must be >= 0; tags must NOT have fewer than 1 items");
    expect(schemaProblems({ type: "object", required: ["url"], properties: { url: { type: "string", format: "uri" } } }, { url: "not a url" })).toEqual({
      url: 'must match format "uri"',
    });
    expect(schemaProblems({ type: "object", required: ["url"] }, {})).toEqual({ url: "is required" });
  });
});
