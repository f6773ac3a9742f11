import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

// The run input form: fields generated from the start block's `inputSchema` (JSON Schema), the
// values typed into them turned back into the input, and the input checked with Ajv (the validator
// the engine's start block uses) so that mistakes are named before the run starts.
//
// Supported: an object schema whose properties are strings, numbers, integers, booleans, enums
// (of strings or numbers) or arrays of those primitives. Anything else is edited as JSON.

type Primitive = "string" | "number" | "integer" | "boolean";

export type InputField = {
  name: string;
  /** The label: the schema's `title`, else the property name. */
  label: string;
  kind: Primitive | "enum" | "list";
  /** Item type of a list. */
  item?: Primitive;
  options?: (string | number)[];
  required: boolean;
  description?: string;
  default?: unknown;
  format?: string;
};

/** Text inputs hold strings, checkboxes booleans. */
export type FormValues = Record<string, string | boolean>;

type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema => typeof value === "object" && value !== null && !Array.isArray(value);
const PRIMITIVES = new Set<string>(["string", "number", "integer", "boolean"]);
// Keywords that change what a property accepts in ways the form cannot show: edited as JSON.
const COMPOSITE = ["oneOf", "anyOf", "allOf", "not", "if", "$ref", "const", "patternProperties"];

function primitiveOf(schema: Schema): Primitive | null {
  return typeof schema.type === "string" && PRIMITIVES.has(schema.type) ? (schema.type as Primitive) : null;
}

/** The form's fields, or null when the schema is missing or outside what the form supports. */
export function formFromSchema(schema: unknown): InputField[] | null {
  if (!isSchema(schema) || schema.type !== "object" || !isSchema(schema.properties)) return null;
  if (COMPOSITE.some((k) => k in schema)) return null;
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === "string") : []);
  const fields: InputField[] = [];
  for (const [name, property] of Object.entries(schema.properties)) {
    if (!isSchema(property) || COMPOSITE.some((k) => k in property)) return null;
    const base = {
      name,
      label: typeof property.title === "string" && property.title.trim() ? property.title : name,
      required: required.has(name),
      ...(typeof property.description === "string" ? { description: property.description } : {}),
      ...(property.default !== undefined ? { default: property.default } : {}),
      ...(typeof property.format === "string" ? { format: property.format } : {}),
    };
    if (Array.isArray(property.enum)) {
      const options = property.enum;
      if (options.length === 0 || !options.every((o) => typeof o === "string" || typeof o === "number")) return null;
      fields.push({ ...base, kind: "enum", options: options });
      continue;
    }
    const primitive = primitiveOf(property);
    if (primitive) {
      fields.push({ ...base, kind: primitive });
      continue;
    }
    if (property.type === "array" && isSchema(property.items) && !COMPOSITE.some((k) => k in (property.items as Schema))) {
      const item = primitiveOf(property.items);
      if (item && !Array.isArray(property.items.enum)) {
        fields.push({ ...base, kind: "list", item });
        continue;
      }
    }
    return null;
  }
  return fields;
}

/** Starting values: the schema's defaults. */
export function initialValues(fields: InputField[]): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    const d = field.default;
    if (field.kind === "boolean") values[field.name] = d === true;
    else if (field.kind === "enum") values[field.name] = d === undefined ? "" : String(field.options?.findIndex((o) => o === d) ?? "");
    else if (field.kind === "list") values[field.name] = Array.isArray(d) ? d.map(String).join("\n") : "";
    else values[field.name] = typeof d === "string" || typeof d === "number" ? String(d) : "";
  }
  // An enum default that is not one of the options leaves the choice empty.
  for (const field of fields) if (field.kind === "enum" && values[field.name] === "-1") values[field.name] = "";
  return values;
}

function convert(kind: Primitive, text: string): { value: unknown } | { error: string } {
  switch (kind) {
    case "string":
      return { value: text };
    case "boolean":
      if (text === "true" || text === "false") return { value: text === "true" };
      return { error: "must be true or false" };
    case "number":
    case "integer": {
      const n = Number(text);
      if (text.trim() === "" || !Number.isFinite(n)) return { error: "must be a number" };
      if (kind === "integer" && !Number.isInteger(n)) return { error: "must be a whole number" };
      return { value: n };
    }
  }
}

export type FormResult = { input: Record<string, unknown>; errors: Record<string, string> };

/**
 * The run input from the form's values: empty optional fields are left out, numbers parsed, lists
 * read one item per line. `errors` maps field names to messages (what a field name and message
 * would not say alone, the label says next to it).
 */
export function inputFromForm(fields: InputField[], values: FormValues): FormResult {
  const input: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const raw = values[field.name];
    if (field.kind === "boolean") {
      input[field.name] = raw === true;
      continue;
    }
    const text = typeof raw === "string" ? raw : "";
    if (field.kind === "enum") {
      const option = text === "" ? undefined : field.options?.[Number(text)];
      if (option === undefined) {
        if (field.required) errors[field.name] = "is required";
      } else input[field.name] = option;
      continue;
    }
    if (field.kind === "list") {
      const lines = text
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "");
      if (lines.length === 0) {
        if (field.required) errors[field.name] = "is required: enter one item per line";
        continue;
      }
      const items: unknown[] = [];
      for (const [i, line] of lines.entries()) {
        const converted = convert(field.item ?? "string", line);
        if ("error" in converted) {
          errors[field.name] = `item ${i + 1} ${converted.error}`;
          break;
        }
        items.push(converted.value);
      }
      input[field.name] = items;
      continue;
    }
    if (text === "" || (field.kind !== "string" && text.trim() === "")) {
      if (field.required) errors[field.name] = "is required";
      continue;
    }
    const converted = convert(field.kind, text);
    if ("error" in converted) errors[field.name] = converted.error;
    else input[field.name] = converted.value;
  }
  return { input, errors };
}

function compile(schema: object) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  return ajv.compile(schema);
}

/**
 * Problems of `input` against `schema`, keyed by the top-level property they concern ("" for the
 * input as a whole). An invalid schema yields none here: the run then reports it.
 */
export function schemaProblems(schema: unknown, input: unknown): Record<string, string> {
  if (!isSchema(schema)) return {};
  let validate;
  try {
    validate = compile(schema);
  } catch {
    return {};
  }
  if (validate(input)) return {};
  const problems: Record<string, string> = {};
  for (const error of validate.errors ?? []) {
    const { field, rest } = locate(error);
    if (field in problems) continue;
    const message = error.keyword === "required" ? "is required" : (error.message ?? "is invalid");
    problems[field] = `${rest ? `${rest} ` : ""}${message}`;
  }
  return problems;
}

function locate(error: ErrorObject): { field: string; rest: string } {
  const segments = error.instancePath.split("/").slice(1);
  if (error.keyword === "required" && typeof error.params.missingProperty === "string") segments.push(error.params.missingProperty);
  const [field = "", ...rest] = segments.map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  return { field, rest: rest.map((r) => (/^\d+$/.test(r) ? `item ${Number(r) + 1}` : r)).join(" ") };
}

/** One sentence naming each field with a problem (in form order), for the top of the form. */
export function describeProblems(problems: Record<string, string>, fields: InputField[] = []): string {
  const label = (name: string) => fields.find((f) => f.name === name)?.label ?? name;
  const order = (name: string) => {
    const i = fields.findIndex((f) => f.name === name);
    return i === -1 ? fields.length : i;
  };
  return Object.entries(problems)
    .sort(([a], [b]) => order(a) - order(b))
    .map(([name, message]) => (name ? `${label(name)} ${message}` : `The input ${message}`))
    .join("; ");
}
