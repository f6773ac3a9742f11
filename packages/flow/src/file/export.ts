// Graph -> `weft/v1` file. Key order and formatting are fixed here (top-level config keys in the
// order of the block's schema, everything nested as stored), so export -> import -> export is
// byte-identical.
import { stringify } from "yaml";
import { blockConfigSchemas, isBlockType, isPlainObject } from "../schema";
import { FLOW_FILE_FORMAT, type FlowFile, type FlowFileEdge, type FlowFileNode, type FlowFileTriggers } from "./format";

export type FlowFileFormat = "yaml" | "json";

/** A stored flow as the exporter reads it (the API's flow view, or an SDK flow). */
export interface ExportableFlow {
  id?: string;
  name: string;
  description?: string;
  nodes: readonly unknown[];
  edges: readonly unknown[];
  triggers?: FlowFileTriggers;
}

/** The id an edge gets when the file leaves it out: `a->b`, `router:yes->b`. */
export function defaultEdgeId(edge: { source: string; target: string; sourceHandle?: string | null; targetHandle?: string | null }): string {
  const from = edge.sourceHandle ? `${edge.source}:${edge.sourceHandle}` : edge.source;
  const to = edge.targetHandle ? `${edge.target}:${edge.targetHandle}` : edge.target;
  return `${from}->${to}`;
}

/** Copies `value` with `keys` first (in that order), then the remaining keys sorted. Undefined values are dropped. */
function ordered(value: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  for (const key of Object.keys(value).sort()) if (!(key in out) && value[key] !== undefined) out[key] = value[key];
  return out;
}

function schemaKeys(type: string): readonly string[] {
  return isBlockType(type) ? Object.keys(blockConfigSchemas[type].shape) : [];
}

const asRecord = (value: unknown): Record<string, unknown> => (isPlainObject(value) ? value : {});

/** The file object of a flow; `liftInputSchema` moves the Start block's schema to the top. */
export function flowToFile(flow: ExportableFlow): FlowFile {
  const rawNodes = flow.nodes.map(asRecord);
  const sources = rawNodes.filter((n) => n.type === "source");
  const liftFrom = sources.length === 1 ? sources[0] : undefined;
  const inputSchema = liftFrom ? asRecord(liftFrom.data).config : undefined;
  const lifted = isPlainObject(inputSchema) && isPlainObject(inputSchema.inputSchema) ? inputSchema.inputSchema : undefined;

  const phases: string[] = [];
  const nodes = rawNodes.map((node): FlowFileNode => {
    const data = asRecord(node.data);
    const type = String(node.type);
    let config = isPlainObject(data.config) ? { ...data.config } : {};
    if (node === liftFrom && lifted) delete config.inputSchema;
    config = ordered(config, schemaKeys(type));
    const phase = typeof data.phase === "string" ? data.phase : undefined;
    if (phase !== undefined && !phases.includes(phase)) phases.push(phase);
    const position = asRecord(node.position);
    return ordered(
      {
        id: node.id,
        type,
        label: data.label,
        phase,
        config: Object.keys(config).length > 0 ? config : undefined,
        retry: isPlainObject(data.retry) ? ordered(data.retry, ["maxAttempts", "backoff", "initialDelayMs", "maxDelayMs"]) : undefined,
        onFailure: data.onFailure,
        timeoutMs: data.timeoutMs,
        position: typeof position.x === "number" && typeof position.y === "number" ? { x: position.x, y: position.y } : undefined,
      },
      NODE_KEYS,
    ) as FlowFileNode;
  });

  const edges = flow.edges.map(asRecord).map((edge): FlowFileEdge => {
    const sourceHandle = typeof edge.sourceHandle === "string" ? edge.sourceHandle : undefined;
    const targetHandle = typeof edge.targetHandle === "string" ? edge.targetHandle : undefined;
    const ends = { source: String(edge.source), target: String(edge.target), sourceHandle, targetHandle };
    const id = typeof edge.id === "string" && edge.id !== defaultEdgeId(ends) ? edge.id : undefined;
    return ordered({ id, ...ends }, EDGE_KEYS) as FlowFileEdge;
  });

  const triggers = flow.triggers ? orderTriggers(flow.triggers) : undefined;
  return ordered(
    {
      format: FLOW_FILE_FORMAT,
      id: flow.id,
      name: flow.name,
      description: flow.description ? flow.description : undefined,
      inputSchema: lifted,
      phases: phases.length > 0 ? phases : undefined,
      nodes,
      edges: edges.length > 0 ? edges : undefined,
      triggers,
    },
    FILE_KEYS,
  ) as FlowFile;
}

const FILE_KEYS = ["format", "id", "name", "description", "inputSchema", "phases", "nodes", "edges", "triggers"];
const NODE_KEYS = ["id", "type", "label", "phase", "config", "retry", "onFailure", "timeoutMs", "position"];
const EDGE_KEYS = ["id", "source", "sourceHandle", "target", "targetHandle"];
const WEBHOOK_KEYS = ["enabled", "responseMode", "syncTimeoutMs", "rateLimitPerMinute", "maxBodyBytes", "signed"];
const SCHEDULE_KEYS = ["cron", "timezone", "enabled", "overlapPolicy", "catchupPolicy", "catchupWindowMs", "catchupMax", "input"];

function orderTriggers(triggers: FlowFileTriggers): FlowFileTriggers | undefined {
  const webhook = triggers.webhook ? ordered(triggers.webhook, WEBHOOK_KEYS) : undefined;
  const schedules = triggers.schedules?.length ? triggers.schedules.map((s) => ordered(s, SCHEDULE_KEYS)) : undefined;
  if (!webhook && !schedules) return undefined;
  return ordered({ webhook, schedules }, ["webhook", "schedules"]);
}

/** The file's text: JSON with two-space indent, or YAML (block style, no line folding). Ends with a newline. */
export function stringifyFlowFile(file: FlowFile, format: FlowFileFormat): string {
  if (format === "json") return `${JSON.stringify(file, null, 2)}\n`;
  return stringify(file, {
    lineWidth: 0,
    minContentWidth: 0,
    blockQuote: "literal",
    aliasDuplicateObjects: false,
    indentSeq: true,
  });
}

/** `flowToFile` then `stringifyFlowFile`. */
export function exportFlow(flow: ExportableFlow, format: FlowFileFormat): string {
  return stringifyFlowFile(flowToFile(flow), format);
}
