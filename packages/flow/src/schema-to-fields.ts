// The builder's config form, from the block config schemas and their field metadata (block-fields.ts):
// which fields, in which order, with which editor, and what the schema says about each (required,
// options, default, bounds). Pure and isomorphic; the web app renders what this returns.
import { z } from "zod";
import { fieldMeta, type FieldMeta } from "./block-fields";
import { blockConfigSchemas, type BlockType } from "./schema";

export interface ConfigField extends FieldMeta {
  key: string;
  /** The config is invalid without it (fields with a default are not required). */
  required: boolean;
  /** A select's choices, in the schema's order, with their names. */
  choices?: { value: string; label: string }[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  integer?: boolean;
}

type JsonSchema = { enum?: unknown[]; default?: unknown; minimum?: number; maximum?: number; type?: string | string[] };

const cache = new Map<BlockType, readonly ConfigField[]>();

/** The fields of a block type's config form, in order. */
export function schemaToFields(type: BlockType): readonly ConfigField[] {
  const cached = cache.get(type);
  if (cached) return cached;
  const shape = (blockConfigSchemas[type] as unknown as z.ZodObject).shape as Record<string, z.ZodType>;
  const fields = Object.entries(shape).map(([key, schema]): ConfigField => {
    const meta = fieldMeta(type, key);
    if (!meta) throw new Error(`${type}.${key} has no form metadata (packages/flow/src/block-fields.ts)`);
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
    const field: ConfigField = { ...meta, key, required: !schema.safeParse(undefined).success };
    if (Array.isArray(json.enum)) field.choices = json.enum.map((value) => ({ value: String(value), label: meta.options?.[String(value)] ?? String(value) }));
    if (json.default !== undefined) field.default = json.default;
    if (typeof json.minimum === "number") field.minimum = json.minimum;
    if (typeof json.maximum === "number") field.maximum = json.maximum;
    if (json.type === "integer") field.integer = true;
    return field;
  });
  fields.sort((a, b) => a.order - b.order);
  cache.set(type, fields);
  return fields;
}

/** Whether a field is shown for this config: its `showWhen` holds (a missing value counts as the other field's default). */
export function fieldShown(field: ConfigField, fields: readonly ConfigField[], config: Record<string, unknown>): boolean {
  if (!field.showWhen) return true;
  const other = fields.find((f) => f.key === field.showWhen!.field);
  const value = config[field.showWhen.field] ?? other?.default;
  const wanted = field.showWhen.equals;
  // A hidden field that holds a value stays shown, so nothing set is ever out of sight.
  return (Array.isArray(wanted) ? wanted.includes(value) : value === wanted) || config[field.key] !== undefined;
}

/**
 * The config's problems by field key (the first message of each), from its zod schema; problems of
 * the whole config (no field) under "". Paths inside a field (`routes.1.when`) are kept too.
 */
export function configProblems(type: BlockType, config: unknown): Map<string, string> {
  const problems = new Map<string, string>();
  const result = blockConfigSchemas[type].safeParse(config ?? {});
  if (result.success) return problems;
  for (const issue of result.error.issues) {
    const path = issue.path.map(String);
    const key = path[0] ?? "";
    if (!problems.has(key)) problems.set(key, path.length > 1 ? `${path.slice(1).join(".")}: ${issue.message}` : issue.message);
    if (path.length > 1 && !problems.has(path.join("."))) problems.set(path.join("."), issue.message);
  }
  return problems;
}
