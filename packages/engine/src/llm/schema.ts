import { jsonSchema, type Schema } from "ai";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { LlmError } from "./errors";
import type { JsonSchemaObject } from "./types";

/** User-authored schemas: lenient about unknown keywords, strict about the data. */
const ajvOptions = { allErrors: true, strict: false, validateSchema: true } as const;

/**
 * A fresh Ajv per schema: schemas come from different tenants, and a shared instance would keep
 * every compiled schema forever and refuse two different schemas with the same `$id`. Compiling
 * costs about a millisecond, nothing next to a model call.
 */
function compile(schema: JsonSchemaObject): ValidateFunction {
  const declared = typeof schema.$schema === "string" ? schema.$schema : "";
  if (declared.includes("2020-12")) {
    const ajv = new Ajv2020(ajvOptions);
    addFormats(ajv);
    return ajv.compile(schema);
  }
  const ajv = new Ajv(ajvOptions);
  addFormats(ajv);
  // Another `$schema` (draft-04/06, 2019-09) would make Ajv refuse the schema; validate as draft-07.
  const { $schema: _ignored, ...rest } = schema;
  return ajv.compile(declared.includes("draft-07") ? schema : rest);
}

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`)
    .join("; ");
}

/**
 * The AI SDK schema for a JSON Schema object, validating values with Ajv (the SDK's `jsonSchema()`
 * alone does not validate). An invalid schema is a configuration error: LLM_BAD_REQUEST, before any
 * request is made.
 */
export function toSdkSchema(schema: JsonSchemaObject, what: string): Schema<unknown> {
  let validate: ValidateFunction;
  try {
    validate = compile(schema);
  } catch (error) {
    throw new LlmError({
      code: "LLM_BAD_REQUEST",
      message: `Invalid JSON Schema for ${what}: ${error instanceof Error ? error.message : String(error)}`,
      retryable: false,
    });
  }
  return jsonSchema<unknown>(schema, {
    validate: (value) =>
      validate(value)
        ? { success: true, value }
        : { success: false, error: new Error(`does not match the ${what} schema: ${describe(validate.errors)}`) },
  });
}
