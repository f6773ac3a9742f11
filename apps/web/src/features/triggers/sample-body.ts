import { sample } from "openapi-sampler";

/**
 * A request body that passes the Start block's input schema (every property filled, with the schema's
 * examples, defaults and enums first), for the webhook panel's "Try it" command. No schema: any body.
 */
export function sampleBody(schema: object | null | undefined): unknown {
  if (!schema) return { hello: "world" };
  try {
    const value = sample(schema, { skipNonRequired: false, quiet: true });
    return value ?? {};
  } catch {
    return {};
  }
}

/** A string as one single-quoted POSIX shell word. */
export const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The curl command that POSTs `body` as JSON to `url`. */
export function curlCommand(url: string, body: unknown): string {
  return `curl -X POST ${shellQuote(url)} \\\n  -H 'Content-Type: application/json' \\\n  -d ${shellQuote(JSON.stringify(body))}`;
}
