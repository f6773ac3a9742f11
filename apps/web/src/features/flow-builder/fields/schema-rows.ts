// A JSON Schema of an object as editable rows (the input schema and structured output editors), and
// back. Only what the rows can show round-trips; any other schema is edited as JSON.

export type SchemaType = "string" | "number" | "integer" | "boolean" | "array" | "object";
export const schemaTypes: readonly { value: SchemaType; label: string }[] = [
  { value: "string", label: "Text" },
  { value: "number", label: "Number" },
  { value: "integer", label: "Whole number" },
  { value: "boolean", label: "Yes/no" },
  { value: "array", label: "List" },
  { value: "object", label: "Object" },
];

export type SchemaRow = { name: string; type: SchemaType; required: boolean; description: string; options: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const ROW_KEYS = new Set(["type", "description", "enum", "title"]);
const TYPES = new Set<string>(schemaTypes.map((t) => t.value));

/** The rows of an object schema, or null when the schema holds more than rows can show. */
export function rowsFromSchema(schema: unknown): SchemaRow[] | null {
  if (schema === undefined) return [];
  if (!isObject(schema) || schema.type !== "object") return null;
  if (Object.keys(schema).some((k) => !["type", "properties", "required", "additionalProperties"].includes(k))) return null;
  const properties = schema.properties === undefined ? {} : schema.properties;
  if (!isObject(properties)) return null;
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const rows: SchemaRow[] = [];
  for (const [name, property] of Object.entries(properties)) {
    if (!isObject(property) || typeof property.type !== "string" || !TYPES.has(property.type)) return null;
    if (Object.keys(property).some((k) => !ROW_KEYS.has(k))) return null;
    if (property.enum !== undefined && !(Array.isArray(property.enum) && property.enum.every((o) => typeof o === "string" || typeof o === "number"))) return null;
    rows.push({
      name,
      type: property.type as SchemaType,
      required: required.has(name),
      description: typeof property.description === "string" ? property.description : "",
      options: Array.isArray(property.enum) ? property.enum.join(", ") : "",
    });
  }
  return rows;
}

/** The object schema of the rows (rows without a name are left out); none: undefined. */
export function schemaFromRows(rows: readonly SchemaRow[]): Record<string, unknown> | undefined {
  const named = rows.filter((r) => r.name.trim() !== "");
  if (named.length === 0) return undefined;
  const properties: Record<string, unknown> = {};
  for (const row of named) {
    const options = row.options
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean)
      .map((o) => (row.type === "number" || row.type === "integer" ? Number(o) : o));
    properties[row.name.trim()] = {
      type: row.type,
      ...(row.description.trim() ? { description: row.description.trim() } : {}),
      ...(options.length > 0 && (row.type === "string" || row.type === "number" || row.type === "integer") ? { enum: options } : {}),
    };
  }
  const required = named.filter((r) => r.required).map((r) => r.name.trim());
  return { type: "object", properties, ...(required.length > 0 ? { required } : {}) };
}
