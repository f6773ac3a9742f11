// Form metadata of every block config field: label, help, widget and order, attached to the field's
// zod schema in zod's global registry (the store `.meta()` writes to, so `schema.meta()` reads it
// back and `z.toJSONSchema` emits it for docs and import/export). Attached here rather than with
// `.meta()` inline in schema.ts: `.meta()` returns a copy, and the config schemas (a public contract,
// edited by several issues) keep their instances and their file unchanged.
//
// One source: the builder's config form (schemaToFields) reads this; a test checks that every field
// of every block type has it.
import { z } from "zod";
import { blockConfigSchemas, type BlockConfigInputMap, type BlockType } from "./schema";

/** How a field is edited. */
export type FieldWidget =
  /** One line of text. */
  | "text"
  /** A template (`{{ ... }}`), in the prompt editor with the variable picker. */
  | "template"
  /** JavaScript (a function body or an expression), in the code editor with the variable picker. */
  | "code"
  | "number"
  | "select"
  /** One of the workspace's AI connections. */
  | "connection"
  /** A model id, with the connection's provider's models suggested. */
  | "model"
  /** A list of short strings, one input each. */
  | "string-list"
  /** Name/value pairs (HTTP headers). */
  | "key-value"
  /** Router routes: a handle and a condition each. */
  | "routes"
  /** Any JSON value, or a template string. */
  | "json"
  /** A JSON Schema as a list of fields (name, type, required, enum, description), with JSON as the fallback. */
  | "json-schema"
  /** AI tools: name, description, parameters and code each. */
  | "tools";

export interface FieldMeta {
  label: string;
  /** One sentence under the field. */
  help?: string;
  widget: FieldWidget;
  /** Position in the form (ascending). */
  order: number;
  placeholder?: string;
  /** Unit shown after a number ("ms"). */
  unit?: string;
  /** Shown only when another field of the config has this value, or one of these values (its default counts). */
  showWhen?: { field: string; equals: unknown };
  /** Names of a select's options, by value (the value itself when absent). */
  options?: Record<string, string>;
  /** Folded under "More options" until it holds a value. */
  advanced?: boolean;
}

type MetaOf<T extends BlockType> = { [K in keyof BlockConfigInputMap[T] & string]-?: FieldMeta };

/** Every block type's fields, by key: TypeScript checks that no key is missing or unknown. */
const fields: { [T in BlockType]: MetaOf<T> } = {
  source: {
    inputSchema: {
      label: "Run input",
      help: "The fields a run takes. Runs without them are refused with an error naming the field.",
      widget: "json-schema",
      order: 1,
    },
  },
  sink: {
    value: {
      label: "Result",
      help: "What the run returns: a template or JSON. Empty returns this block's input.",
      widget: "json",
      order: 1,
    },
  },
  function: {
    code: {
      label: "Code",
      help: "A JavaScript function body. `input` is this block's input; `return` gives its output.",
      widget: "code",
      order: 1,
    },
  },
  router: {
    mode: { label: "Choose the route by", widget: "select", order: 1, options: { expression: "Conditions (JavaScript)", ai: "An AI model" } },
    routes: {
      label: "Routes",
      help: "Checked in order: the first whose condition holds is taken.",
      widget: "routes",
      order: 2,
    },
    default: {
      label: "Otherwise",
      help: "The route taken when none matches. Empty: no match fails the block.",
      widget: "text",
      order: 3,
      placeholder: "e.g. other",
    },
    connectionId: { label: "AI connection", widget: "connection", order: 4, showWhen: { field: "mode", equals: "ai" } },
    model: { label: "Model", widget: "model", order: 5, showWhen: { field: "mode", equals: "ai" } },
    prompt: {
      label: "Instructions",
      help: "Tells the model what it is choosing between; the routes' descriptions are added.",
      widget: "template",
      order: 6,
      showWhen: { field: "mode", equals: "ai" },
    },
  },
  parallel: {
    branches: {
      label: "Branches",
      help: "One output per branch. Empty: whatever outputs its connections use.",
      widget: "string-list",
      order: 1,
    },
    merge: {
      label: "Continue when",
      widget: "select",
      order: 2,
      options: { all: "All branches finish", any: "Any branch finishes (others go on)", first: "The first branch finishes (others stop)" },
    },
  },
  loop: {
    over: {
      label: "For each item of",
      help: "A template giving an array, e.g. {{ input.items }}.",
      widget: "template",
      order: 1,
    },
    while: {
      label: "Or while",
      help: "A JavaScript condition on `input` and `iteration`; instead of “For each item of”.",
      widget: "code",
      order: 2,
    },
    maxIterations: { label: "At most", widget: "number", order: 3, unit: "iterations" },
  },
  http: {
    method: { label: "Method", widget: "select", order: 1 },
    url: { label: "URL", help: "May use templates, e.g. https://api.example.com/users/{{ input.id }}", widget: "template", order: 2, placeholder: "https://" },
    headers: { label: "Headers", widget: "key-value", order: 3 },
    body: { label: "Body", help: "JSON or a template; sent as JSON.", widget: "json", order: 4, showWhen: { field: "method", equals: ["POST", "PUT", "PATCH", "DELETE"] } },
    timeoutMs: { label: "Request timeout", widget: "number", order: 5, unit: "ms", advanced: true },
  },
  ai: {
    connectionId: { label: "AI connection", help: "Whose API key and endpoint to use.", widget: "connection", order: 1 },
    model: { label: "Model", widget: "model", order: 2 },
    systemPrompt: { label: "System prompt", help: "How the model should behave.", widget: "template", order: 3 },
    prompt: { label: "Prompt", help: "What to ask; insert variables with the {x} button.", widget: "template", order: 4 },
    outputSchema: {
      label: "Structured output",
      help: "When set, the output is an object with these fields instead of text.",
      widget: "json-schema",
      order: 5,
    },
    tools: { label: "Tools", help: "Functions the model may call; each runs its code in the sandbox.", widget: "tools", order: 6 },
    temperature: { label: "Temperature", help: "0 is focused, 2 is creative.", widget: "number", order: 7, advanced: true },
    maxTokens: { label: "Max output tokens", widget: "number", order: 8, advanced: true },
    fallbackModels: {
      label: "Fallback models",
      help: "Tried in order on the same connection when the model fails and may be retried.",
      widget: "string-list",
      order: 9,
      advanced: true,
    },
  },
  approval: {
    message: { label: "Question", help: "What the approver is asked; may use templates.", widget: "template", order: 1 },
    timeoutMs: { label: "Wait at most", help: "Empty waits forever; on timeout the block fails.", widget: "number", order: 2, unit: "ms" },
  },
  delay: {
    ms: { label: "Wait", widget: "number", order: 1, unit: "ms" },
  },
};

for (const type of Object.keys(fields) as BlockType[]) {
  const shape: Record<string, z.ZodType | undefined> = (blockConfigSchemas[type] as unknown as z.ZodObject).shape;
  for (const [key, meta] of Object.entries(fields[type] as Record<string, FieldMeta>)) {
    const schema = shape[key];
    if (!schema) throw new Error(`block-fields: ${type}.${key} is not a config field`);
    z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), ...meta });
  }
}

/** The form metadata of one config field (undefined for a key the block does not have). */
export function fieldMeta(type: BlockType, key: string): FieldMeta | undefined {
  return (fields[type] as Record<string, FieldMeta | undefined>)[key];
}
