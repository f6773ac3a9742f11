// The flow format: the JSON the canvas edits, stored in `flows.nodes/edges` and accepted by the
// public API. This file is a PUBLIC contract (DESIGN.md section 3): add optional fields freely,
// never rename or tighten existing ones without a migration of stored flows.
//
// Conventions:
// - One name for a schema and its type: `FlowNode` is both the zod schema and `z.infer` of it
//   (the parsed shape, defaults applied). `*Input` types are what a client may send.
// - Graph-level objects (graph, node, node.data, edge, position) ignore unknown keys: the canvas
//   (@xyflow/react) adds `viewport`, `measured`, `selected`, ... which are not ours to reject.
// - Block configs and retry policies are strict: an unknown key there is almost always a typo
//   (`metod: "POST"`) that would otherwise silently fall back to a default.
import { z } from "zod";

/** Identifier of a node or a handle: what templates (`{{ nodes.<id>.output }}`) can name. */
const IDENT_RE = /^[A-Za-z0-9_-]+$/;
const MAX_TEMPLATE = 100_000;
const MAX_SHORT = 10_000;

export const FLOW_LIMITS = {
  maxNodes: 1000,
  maxEdges: 5000,
  maxIdLength: 64,
  maxCodeLength: 100_000,
  maxTemplateLength: MAX_TEMPLATE,
  maxLoopIterations: 10_000,
  maxDelayMs: 7 * 24 * 60 * 60 * 1000,
} as const;

// Messages read after the field name: `config.routes[0].handle must not be empty`.
const Ident = () =>
  z
    .string()
    .min(1, "must not be empty")
    .max(FLOW_LIMITS.maxIdLength, `must have at most ${FLOW_LIMITS.maxIdLength} characters`)
    .regex(IDENT_RE, 'may only contain letters, digits, "_" and "-"');

/** A handle of a node (router route, parallel branch, loop `body`). Same alphabet as node ids. */
export const HandleId = Ident();
export type HandleId = z.infer<typeof HandleId>;

/** A node id. */
export const NodeId = Ident();
export type NodeId = z.infer<typeof NodeId>;

// ---------------------------------------------------------------------------------------------
// JSON helpers

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** True when `value` survives a JSON round trip unchanged (finite numbers, plain objects, no cycles). */
export function isJsonValue(value: unknown, seen: Set<unknown> = new Set()): value is JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object") return false;
  if (seen.has(value)) return false;
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.every((item) => isJsonValue(item, seen));
    if (!isPlainObject(value)) return false;
    return Object.values(value).every((item) => isJsonValue(item, seen));
  } finally {
    seen.delete(value);
  }
}

/** Any JSON value (what a template-bearing field like a sink's `value` or an HTTP body holds). */
// (`z.unknown().refine` rather than `z.custom`, so z.toJSONSchema can describe it for config forms.)
export const JsonValue = z
  .unknown()
  .refine((value) => value !== undefined && isJsonValue(value), {
    message: "must be a JSON value (text, number, boolean, null, array or object)",
  }) as unknown as z.ZodType<JsonValue>;

const JSON_SCHEMA_TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);

/**
 * A JSON Schema given as an object (`{ type: "object", properties: ... }`). Only its outline is
 * checked here (the engine compiles it with a real JSON Schema validator); enough to catch a
 * pasted array or a misspelled `type`.
 */
export const JsonSchemaObject = z.record(z.string(), z.unknown()).superRefine((schema, ctx) => {
  const type = schema.type;
  if (type !== undefined) {
    const types = Array.isArray(type) ? (type as unknown[]) : [type];
    if (types.length === 0 || !types.every((t) => typeof t === "string" && JSON_SCHEMA_TYPES.has(t))) {
      ctx.addIssue({
        code: "custom",
        path: ["type"],
        message: `must be one of ${[...JSON_SCHEMA_TYPES].join(", ")} (or an array of them)`,
      });
    }
  }
  if (schema.properties !== undefined && !isPlainObject(schema.properties)) {
    ctx.addIssue({ code: "custom", path: ["properties"], message: "must be an object of schemas" });
  }
  if (
    schema.required !== undefined &&
    !(Array.isArray(schema.required) && schema.required.every((r) => typeof r === "string"))
  ) {
    ctx.addIssue({ code: "custom", path: ["required"], message: "must be an array of property names" });
  }
});
export type JsonSchemaObject = z.infer<typeof JsonSchemaObject>;

/** A template string (`Hello {{ input.name }}`); syntax is checked by validateFlow. */
const Template = z.string().max(MAX_TEMPLATE, `must have at most ${MAX_TEMPLATE} characters`);
/** A JS expression evaluated in the sandbox (router `when`, loop `while`). */
const Expression = z
  .string()
  .max(MAX_SHORT, `must have at most ${MAX_SHORT} characters`)
  .refine((s) => s.trim().length > 0, "must not be empty");
const NonEmpty = (max = MAX_SHORT) =>
  z
    .string()
    .max(max, `must have at most ${max} characters`)
    .refine((s) => s.trim().length > 0, "must not be empty");

// ---------------------------------------------------------------------------------------------
// Graph

export const Position = z.object({ x: z.number(), y: z.number() });
export type Position = z.infer<typeof Position>;

export const RetryPolicy = z
  .strictObject({
    maxAttempts: z.number().int().min(1).max(20).default(1),
    backoff: z.literal("exponential").default("exponential"),
    initialDelayMs: z.number().int().min(0).max(3_600_000).default(500),
    maxDelayMs: z.number().int().min(0).max(3_600_000).default(30_000),
  })
  .superRefine((retry, ctx) => {
    if (retry.initialDelayMs > retry.maxDelayMs) {
      ctx.addIssue({ code: "custom", path: ["initialDelayMs"], message: "must not exceed maxDelayMs" });
    }
  });
export type RetryPolicy = z.infer<typeof RetryPolicy>;
export type RetryPolicyInput = z.input<typeof RetryPolicy>;

/**
 * What a node does once its retries are spent (DESIGN.md 4.2): `stop` the run (default), `continue`
 * with `{ error }` as its output, or `route` to its `error` handle. Part of the format; the engine acts
 * on it with the resilience issue (15); until then every failure stops the run.
 */
export const OnFailure = z.enum(["stop", "continue", "route"]);
export type OnFailure = z.infer<typeof OnFailure>;

export const FlowNodeData = z.object({
  label: z.string().max(200).optional(),
  phase: z.string().max(200).optional(),
  /** Validated per block type by `blockConfigSchemas` (a missing config counts as `{}`). */
  config: z.unknown().optional(),
  retry: RetryPolicy.optional(),
  /** Time limit of one attempt of the whole step, in ms. */
  timeoutMs: z.number().int().positive().optional(),
  onFailure: OnFailure.optional(),
});
export type FlowNodeData = z.infer<typeof FlowNodeData>;

export const FlowNode = z.object({
  id: NodeId,
  /** Checked against `blockTypes` by validateFlow, so an unknown type is a per-node problem. */
  type: z.string().min(1, "must not be empty"),
  position: Position,
  data: FlowNodeData,
});
export type FlowNode = z.infer<typeof FlowNode>;
export type FlowNodeInput = z.input<typeof FlowNode>;

export const FlowEdge = z.object({
  // Edge ids are generated by the canvas (`xy-edge__a-b`) and may hold any character.
  id: z.string().min(1, "must not be empty").max(512),
  source: z.string().min(1, "must not be empty"),
  target: z.string().min(1, "must not be empty"),
  /** `null`/absent = the node's default (unnamed) output handle. */
  sourceHandle: z.string().nullable().optional(),
  targetHandle: z.string().nullable().optional(),
});
export type FlowEdge = z.infer<typeof FlowEdge>;
export type FlowEdgeInput = z.input<typeof FlowEdge>;

export const FlowGraph = z.object({
  nodes: z.array(FlowNode).max(FLOW_LIMITS.maxNodes, `must hold at most ${FLOW_LIMITS.maxNodes} blocks`),
  edges: z.array(FlowEdge).max(FLOW_LIMITS.maxEdges, `must hold at most ${FLOW_LIMITS.maxEdges} connections`),
});
export type FlowGraph = z.infer<typeof FlowGraph>;
export type FlowGraphInput = z.input<typeof FlowGraph>;

// ---------------------------------------------------------------------------------------------
// Block configs

export const SourceConfig = z.strictObject({
  /** JSON Schema the run input must satisfy. */
  inputSchema: JsonSchemaObject.optional(),
});
export type SourceConfig = z.infer<typeof SourceConfig>;

export const SinkConfig = z.strictObject({
  /** A template string or any JSON (rendered deep); absent = the sink's input. */
  value: JsonValue.optional(),
});
export type SinkConfig = z.infer<typeof SinkConfig>;

export const FunctionConfig = z.strictObject({
  /** JS function body; `input` and `ctx` are in scope; `return` gives the output. */
  code: NonEmpty(FLOW_LIMITS.maxCodeLength),
});
export type FunctionConfig = z.infer<typeof FunctionConfig>;

export const RouterRoute = z.strictObject({
  handle: HandleId,
  /**
   * mode "expression": a JS expression on `input`, truthy = take this route.
   * mode "ai": a plain-language description of when to take this route, shown to the model.
   */
  when: Expression,
});
export type RouterRoute = z.infer<typeof RouterRoute>;

export const RouterConfig = z
  .strictObject({
    mode: z.enum(["expression", "ai"]).default("expression"),
    routes: z.array(RouterRoute).min(1, "must have at least one route").max(100),
    /** Handle taken when no route matches (absent: no match fails the node). */
    default: HandleId.optional(),
    /** mode "ai": connection, model and prompt (template) used to choose a route. */
    connectionId: z.uuid("must be a connection id (uuid)").optional(),
    model: NonEmpty(200).optional(),
    prompt: Template.optional(),
  })
  .superRefine((router, ctx) => {
    const seen = new Set<string>();
    router.routes.forEach((route, i) => {
      if (seen.has(route.handle)) {
        ctx.addIssue({
          code: "custom",
          path: ["routes", i, "handle"],
          message: `repeats the handle "${route.handle}" of an earlier route`,
        });
      }
      seen.add(route.handle);
    });
    if (router.mode === "ai") {
      for (const key of ["connectionId", "model", "prompt"] as const) {
        const value = router[key];
        if (value === undefined || value.trim() === "") {
          ctx.addIssue({ code: "custom", path: [key], message: 'is required when mode is "ai"' });
        }
      }
    }
  });
export type RouterConfig = z.infer<typeof RouterConfig>;

export const ParallelConfig = z
  .strictObject({
    /** Output handles, one per branch; absent = whatever handles its outgoing edges use. */
    branches: z.array(HandleId).min(1).max(100).optional(),
    merge: z.enum(["all", "any", "first"]).default("all"),
  })
  .superRefine((parallel, ctx) => {
    const seen = new Set<string>();
    parallel.branches?.forEach((handle, i) => {
      if (seen.has(handle)) {
        ctx.addIssue({ code: "custom", path: ["branches", i], message: `repeats the branch "${handle}"` });
      }
      seen.add(handle);
    });
  });
export type ParallelConfig = z.infer<typeof ParallelConfig>;
export type MergeMode = ParallelConfig["merge"];

export const LoopConfig = z
  .strictObject({
    /** Template giving the array to iterate (`{{ input.items }}`). */
    over: Template.refine((s) => s.trim().length > 0, "must not be empty").optional(),
    /** JS expression on `input` and `iteration`; the loop runs while it is truthy. */
    while: Expression.optional(),
    maxIterations: z.number().int().min(1).max(FLOW_LIMITS.maxLoopIterations).default(100),
  })
  .superRefine((loop, ctx) => {
    if (loop.over === undefined && loop.while === undefined) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: 'needs either "over" (a template giving an array) or "while" (an expression)',
      });
    } else if (loop.over !== undefined && loop.while !== undefined) {
      ctx.addIssue({ code: "custom", path: ["while"], message: 'cannot be set together with "over": a loop runs over an array or while a condition holds' });
    }
  });
export type LoopConfig = z.infer<typeof LoopConfig>;

/** RFC 7230 header field name. */
const HeaderName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "is not a valid header name");

export const HttpConfig = z.strictObject({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]).default("GET"),
  url: NonEmpty(MAX_SHORT),
  headers: z.record(HeaderName, z.string().max(MAX_SHORT)).optional(),
  body: JsonValue.optional(),
  /** Timeout of the request itself (the node's `data.timeoutMs` bounds the whole attempt). */
  timeoutMs: z.number().int().positive().optional(),
});
export type HttpConfig = z.infer<typeof HttpConfig>;

export const AiTool = z.strictObject({
  name: z
    .string()
    .regex(/^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/, "must start with a letter or _ and hold at most 64 letters, digits or _"),
  description: NonEmpty(MAX_SHORT),
  inputSchema: JsonSchemaObject,
  /** JS function body run in the sandbox with `args` in scope; `return` gives the tool result. */
  code: NonEmpty(FLOW_LIMITS.maxCodeLength),
});
export type AiTool = z.infer<typeof AiTool>;

export const AiConfig = z
  .strictObject({
    connectionId: z.uuid("must be a connection id (uuid)"),
    model: NonEmpty(200),
    systemPrompt: Template.optional(),
    prompt: Template.refine((s) => s.trim().length > 0, "must not be empty"),
    /** When set, the output is an object matching this schema instead of text. */
    outputSchema: JsonSchemaObject.optional(),
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().positive().optional(),
    tools: z.array(AiTool).max(64).optional(),
    /** Models tried in order, on the same connection, when the main model fails retryably. */
    fallbackModels: z.array(NonEmpty(200)).max(10).optional(),
  })
  .superRefine((ai, ctx) => {
    const seen = new Set<string>();
    ai.tools?.forEach((tool, i) => {
      if (seen.has(tool.name)) {
        ctx.addIssue({ code: "custom", path: ["tools", i, "name"], message: `repeats the name "${tool.name}" of an earlier tool` });
      }
      seen.add(tool.name);
    });
  });
export type AiConfig = z.infer<typeof AiConfig>;

export const ApprovalConfig = z.strictObject({
  message: Template.refine((s) => s.trim().length > 0, "must not be empty"),
  /** Time to wait for a decision; absent = wait forever. On timeout the node fails. */
  timeoutMs: z.number().int().positive().optional(),
});
export type ApprovalConfig = z.infer<typeof ApprovalConfig>;

export const DelayConfig = z.strictObject({
  ms: z.number().int().min(0).max(FLOW_LIMITS.maxDelayMs, "must be at most 7 days"),
});
export type DelayConfig = z.infer<typeof DelayConfig>;

export const blockTypes = [
  "source",
  "sink",
  "function",
  "router",
  "parallel",
  "loop",
  "http",
  "ai",
  "approval",
  "delay",
] as const;
export const BlockType = z.enum(blockTypes);
export type BlockType = z.infer<typeof BlockType>;

export function isBlockType(value: unknown): value is BlockType {
  return typeof value === "string" && (blockTypes as readonly string[]).includes(value);
}

export const blockConfigSchemas = {
  source: SourceConfig,
  sink: SinkConfig,
  function: FunctionConfig,
  router: RouterConfig,
  parallel: ParallelConfig,
  loop: LoopConfig,
  http: HttpConfig,
  ai: AiConfig,
  approval: ApprovalConfig,
  delay: DelayConfig,
} as const satisfies Record<BlockType, z.ZodType>;

/** Parsed config per block type. */
export type BlockConfigMap = { [K in BlockType]: z.infer<(typeof blockConfigSchemas)[K]> };
export type BlockConfig<T extends BlockType = BlockType> = BlockConfigMap[T];
/** Config as a client may send it (defaults not yet applied). */
export type BlockConfigInputMap = { [K in BlockType]: z.input<(typeof blockConfigSchemas)[K]> };

/**
 * Config keys whose values are templates, rendered with `renderDeep` by the engine before the
 * block runs (and checked by validateFlow). Expressions (`router.routes[].when`, `loop.while`)
 * and code are not templates: they run in the sandbox.
 */
export const blockTemplateFields = {
  source: [],
  sink: ["value"],
  function: [],
  router: ["prompt"],
  parallel: [],
  loop: ["over"],
  http: ["url", "headers", "body"],
  ai: ["systemPrompt", "prompt"],
  approval: ["message"],
  delay: [],
} as const satisfies { [K in BlockType]: readonly (keyof BlockConfigMap[K] & string)[] };

export * from "./block-catalog";
