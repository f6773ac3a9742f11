import { describe, expect, it } from "vitest";
import { rowsFromSchema, schemaFromRows } from "./schema-rows";

describe("schema rows", () => {
  it("round-trips an object schema with required fields, enums and descriptions", () => {
    const schema = {
      type: "object",
      properties: { email: { type: "string", description: "Who to write to" }, plan: { type: "string", enum: ["free", "pro"] }, seats: { type: "integer" } },
      required: ["email"],
    };
    const rows = rowsFromSchema(schema)!;
    expect(rows).toEqual([
      { name: "email", type: "string", required: true, description: "Who to write to", options: "" },
      { name: "plan", type: "string", required: false, description: "", options: "free, pro" },
      { name: "seats", type: "integer", required: false, description: "", options: "" },
    ]);
    expect(schemaFromRows(rows)).toEqual(schema);
  });

  it("leaves unnamed rows out, and no rows is no schema", () => {
    expect(schemaFromRows([{ name: " ", type: "string", required: true, description: "", options: "" }])).toBeUndefined();
    expect(rowsFromSchema(undefined)).toEqual([]);
  });

  it("gives up (JSON instead) on what rows cannot show", () => {
    expect(rowsFromSchema({ type: "object", properties: { a: { type: "string", minLength: 3 } } })).toBeNull();
    expect(rowsFromSchema({ type: "array" })).toBeNull();
    expect(rowsFromSchema({ type: "object", properties: {}, oneOf: [] })).toBeNull();
  });

  it("turns number options into numbers", () => {
    expect(schemaFromRows([{ name: "n", type: "integer", required: false, description: "", options: "1, 2" }])).toEqual({ type: "object", properties: { n: { type: "integer", enum: [1, 2] } } });
  });
});
