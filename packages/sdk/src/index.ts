// @weft/sdk: flows as typed TypeScript. `defineFlow` builds the same graph a weft/v1 file imports to
// (same defaults, edge ids and layout) and validates it with the same zod schemas (validateFlow), so
// a flow can live in code, in YAML, or on the canvas, and move between them with `exportFlow`.
//
//   import { defineFlow, source, fn, ai, sink } from "@weft/sdk";
//   export default defineFlow({
//     name: "Summarise",
//     inputSchema: z.object({ url: z.string() }),
//     nodes: [source("start"), http("fetch", { url: "{{ input.url }}" }), ai("sum", { ... }), sink("end")],
//     edges: [["start", "fetch"], ["fetch", "sum"], ["sum", "end"]],
//   });
import {
  FlowValidationError,
  RetryPolicy,
  defaultEdgeId,
  exportFlow,
  layoutPositions,
  validateFlow,
  type BlockConfigInputMap,
  type BlockType,
  type FlowEdge,
  type FlowFileFormat,
  type FlowNode,
  type OnFailure,
  type Position,
  type RetryPolicyInput,
} from "@weft/flow";
import { z } from "zod";

export type NodeOptions = {
  label?: string;
  phase?: string;
  retry?: RetryPolicyInput;
  onFailure?: OnFailure;
  timeoutMs?: number;
  /** Absent: laid out like an imported file. */
  position?: Position;
};

/** A node before layout. */
export type SdkNode<T extends string = string> = { id: string; type: T; config: Record<string, unknown>; options: NodeOptions };

function block<T extends BlockType>(type: T) {
  return (id: string, config: BlockConfigInputMap[T], options: NodeOptions = {}): SdkNode<T> => ({
    id,
    type,
    config: config,
    options,
  });
}

/** The Start block (its input schema comes from `defineFlow({ inputSchema })`). */
export const source = (id = "start", options: NodeOptions = {}): SdkNode<"source"> => ({ id, type: "source", config: {}, options });
/** An End block; `value` (a template or JSON) becomes the output, else its input does. */
export const sink = (id = "end", config: BlockConfigInputMap["sink"] = {}, options: NodeOptions = {}): SdkNode<"sink"> => ({
  id,
  type: "sink",
  config: config,
  options,
});
/** A function block: JavaScript run in the sandbox with `input` and `ctx`. */
export const fn = (id: string, code: string, options: NodeOptions = {}): SdkNode<"function"> => ({ id, type: "function", config: { code }, options });
export const ai = block("ai");
export const router = block("router");
export const parallel = block("parallel");
export const loop = block("loop");
export const http = block("http");
export const approval = block("approval");
export const delay = block("delay");

/** `[source, target]`, `[source, target, sourceHandle]`, or an object with handles. */
export type EdgeSpec = readonly [string, string] | readonly [string, string, string] | { source: string; target: string; sourceHandle?: string; targetHandle?: string; id?: string };

export type FlowDefinition = {
  name: string;
  description?: string;
  /** The run input: a zod object (converted to JSON Schema) or a JSON Schema. */
  inputSchema?: z.ZodType | Record<string, unknown>;
  /** Phases in order; every node's phase must be one of them. */
  phases?: readonly string[];
  nodes: readonly SdkNode[];
  edges: readonly EdgeSpec[];
};

export type DefinedFlow = { name: string; description: string; nodes: FlowNode[]; edges: FlowEdge[] };

/** JSON Schema of a zod schema, as the Start block stores it (without `$schema`). */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

/** Builds and validates a flow; throws FlowValidationError listing every problem (node id and field). */
export function defineFlow(definition: FlowDefinition): DefinedFlow {
  const edges: FlowEdge[] = definition.edges.map((spec) => {
    const e = Array.isArray(spec)
      ? { source: spec[0] as string, target: spec[1] as string, ...(spec[2] !== undefined ? { sourceHandle: spec[2] as string } : {}) }
      : (spec as Exclude<EdgeSpec, readonly unknown[]>);
    const { id, ...ends } = e;
    return { id: id ?? defaultEdgeId(ends), ...ends };
  });
  const positions = definition.nodes.every((n) => n.options.position) ? undefined : layoutPositions({ nodes: definition.nodes.map((n) => ({ id: n.id, position: n.options.position })), edges });
  const inputSchema =
    definition.inputSchema === undefined ? undefined : definition.inputSchema instanceof z.ZodType ? jsonSchemaOf(definition.inputSchema) : definition.inputSchema;
  const phases = definition.phases ? new Set(definition.phases) : undefined;
  const nodes: FlowNode[] = definition.nodes.map((n) => {
    if (phases && n.options.phase !== undefined && !phases.has(n.options.phase)) {
      throw new FlowValidationError([{ code: "invalid_graph", nodeId: n.id, path: "phase", message: `Block "${n.id}": phase "${n.options.phase}" is not one of the phases` }]);
    }
    const { label, phase, retry, onFailure, timeoutMs } = n.options;
    return {
      id: n.id,
      type: n.type,
      position: n.options.position ?? positions!.get(n.id)!,
      data: {
        ...(label !== undefined ? { label } : {}),
        ...(phase !== undefined ? { phase } : {}),
        config: n.type === "source" && inputSchema ? { ...n.config, inputSchema } : n.config,
        ...(retry !== undefined ? { retry: RetryPolicy.parse(retry) } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        ...(onFailure !== undefined ? { onFailure } : {}),
      },
    };
  });
  const result = validateFlow({ nodes, edges });
  if (!result.ok) throw new FlowValidationError(result.problems);
  return { name: definition.name, description: definition.description ?? "", nodes, edges };
}

/** The flow as a weft/v1 file (YAML or JSON), ready for `weft push` or the import endpoint. */
export function toFile(flow: DefinedFlow, format: FlowFileFormat = "yaml"): string {
  return exportFlow(flow, format);
}
