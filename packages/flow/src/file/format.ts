// The `weft/v1` flow file: a flow as YAML or JSON, for git, editors and the CLI (DESIGN.md 3.1).
// This file is a PUBLIC contract: add optional fields freely; anything else is `weft/v2`.
//
// Shape of the file (every key but `format`, `name` and `nodes` is optional):
//   format: weft/v1        id: <flow uuid, set by export; `weft push` matches on it>
//   name, description      inputSchema: JSON Schema of the run input (the Start block's)
//   phases: [ ... ]        nodes: [{ id, type, label, phase, config, retry, onFailure, timeoutMs, position }]
//   edges: [{ id?, source, target, sourceHandle?, targetHandle? }]
//   triggers: { webhook: { enabled, responseMode, ... }, schedules: [{ cron, timezone, ... }] }
import { z } from "zod";
import { HandleId, JsonSchemaObject, NodeId, OnFailure, Position, RetryPolicy } from "../schema";

export const FLOW_FILE_FORMAT = "weft/v1";

export const FlowFileNode = z.strictObject({
  id: NodeId,
  type: z.string().min(1, "must not be empty"),
  label: z.string().max(200).optional(),
  phase: z.string().min(1, "must not be empty").max(200).optional(),
  /** Block config, checked per type (see blockConfigSchemas). */
  config: z.record(z.string(), z.unknown()).optional(),
  retry: RetryPolicy.optional(),
  onFailure: OnFailure.optional(),
  /** Time limit of one attempt, in ms. */
  timeoutMs: z.number().int().positive().optional(),
  /** Absent: laid out on import. */
  position: Position.optional(),
});
export type FlowFileNode = z.infer<typeof FlowFileNode>;
export type FlowFileNodeInput = z.input<typeof FlowFileNode>;

export const FlowFileEdge = z.strictObject({
  /** Absent: `<source>-><target>` (with `:<handle>` when the edge leaves a named handle). */
  id: z.string().min(1, "must not be empty").max(512).optional(),
  source: NodeId,
  target: NodeId,
  sourceHandle: HandleId.optional(),
  targetHandle: HandleId.optional(),
});
export type FlowFileEdge = z.infer<typeof FlowFileEdge>;
export type FlowFileEdgeInput = z.input<typeof FlowFileEdge>;

/** Webhook settings, never its secrets: a flow imported elsewhere gets a new URL. */
export const FlowFileWebhook = z.strictObject({
  enabled: z.boolean(),
  responseMode: z.enum(["async", "sync"]),
  syncTimeoutMs: z.number().int().min(100).max(120_000),
  rateLimitPerMinute: z.number().int().min(1).max(100_000),
  maxBodyBytes: z.number().int().min(1).max(10 * 1024 * 1024),
  /** Whether calls must carry Standard Webhooks signatures (a new signing secret is generated on import). */
  signed: z.boolean(),
});
export type FlowFileWebhook = z.infer<typeof FlowFileWebhook>;

export const FlowFileSchedule = z.strictObject({
  cron: z.string().min(1).max(200),
  timezone: z.string().min(1).max(100),
  enabled: z.boolean(),
  overlapPolicy: z.enum(["skip", "queue_one", "allow"]),
  catchupPolicy: z.enum(["none", "latest", "all"]),
  catchupWindowMs: z.number().int().min(0),
  catchupMax: z.number().int().min(1),
  input: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type FlowFileSchedule = z.infer<typeof FlowFileSchedule>;

export const FlowFileTriggers = z.strictObject({
  webhook: FlowFileWebhook.optional(),
  schedules: z.array(FlowFileSchedule).max(20).optional(),
});
export type FlowFileTriggers = z.infer<typeof FlowFileTriggers>;

export const FlowFile = z.strictObject({
  format: z.literal(FLOW_FILE_FORMAT, `must be "${FLOW_FILE_FORMAT}"`),
  id: z.uuid("must be a flow id (uuid)").optional(),
  name: z.string().trim().min(1, "must not be empty").max(200),
  description: z.string().max(2000).optional(),
  inputSchema: JsonSchemaObject.optional(),
  /** The phases in order; every node's `phase` must be one of them. */
  phases: z.array(z.string().min(1).max(200)).max(100).optional(),
  nodes: z.array(FlowFileNode).min(1, "must hold at least one block").max(1000),
  edges: z.array(FlowFileEdge).max(5000).optional(),
  triggers: FlowFileTriggers.optional(),
});
export type FlowFile = z.infer<typeof FlowFile>;
export type FlowFileInput = z.input<typeof FlowFile>;
