// The problems validateFlow reports, and the wording shared by its checks: messages that name the
// block (label and id) or connection, and zod issues turned into field paths a user can read.
import { type z } from "zod";
import type { FlowGraph } from "./schema";

export const flowProblemCodes = [
  /** The graph, a node or an edge does not have the expected shape (see `path`). */
  "invalid_graph",
  "duplicate_node_id",
  "duplicate_edge_id",
  /** Two edges join the same handles of the same nodes. */
  "duplicate_edge",
  "unknown_block_type",
  /** The node's `config` does not match its block type (`path` = `config.<field>`). */
  "invalid_config",
  /** An edge's source or target is not a node. */
  "dangling_edge",
  "edge_into_source",
  "edge_out_of_sink",
  /** An edge leaves a router/parallel/loop by a handle the block does not have. */
  "unknown_handle",
  "cycle",
  "empty_loop_body",
  /** An edge enters a loop body from outside the loop. */
  "edge_into_loop_body",
  "sink_in_loop_body",
  "unreachable_node",
  "missing_source",
  "multiple_sources",
  "missing_sink",
  /** A template does not parse. */
  "invalid_template",
  /** A template names a node that does not exist. */
  "unknown_node_reference",
  /** A template names a node that is not guaranteed to have run before this one. */
  "reference_not_upstream",
  /** A template uses `{{ env.NAME }}` and the workspace has no variable NAME (checked by the API). */
  "unknown_variable",
  /** `data.blockRef` names a saved block (or version) this workspace does not have (checked by the API). */
  "unknown_block_ref",
] as const;
export type FlowProblemCode = (typeof flowProblemCodes)[number];

export interface FlowProblem {
  code: FlowProblemCode;
  /** A sentence for the user, naming the block (label and id) or edge. */
  message: string;
  nodeId?: string;
  edgeId?: string;
  /**
   * Where the problem is. With `edgeId`: relative to the edge (`source`, `sourceHandle`).
   * Otherwise with `nodeId`: relative to the node, with `data.` left out
   * (`config.routes[0].when`, `retry.maxAttempts`, `timeoutMs`, `position.x`, `type`, `id`).
   * Otherwise from the graph root (`nodes`, `edges[3].id`).
   */
  path?: string;
}

export type FlowValidationResult =
  | { ok: true; problems: FlowProblem[]; graph: FlowGraph }
  | { ok: false; problems: FlowProblem[]; graph?: undefined };

export class FlowValidationError extends Error {
  override readonly name = "FlowValidationError";
  constructor(readonly problems: FlowProblem[]) {
    const shown = problems.slice(0, 5).map((p) => p.message);
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : "";
    super(`Invalid flow: ${shown.join("; ")}${more}`);
  }
}

/** Formats a zod-like path: `routes[0].when`, `headers["x-a b"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (typeof seg === "string" && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number" && Number.isNaN(value)) return "NaN";
  return `a ${typeof value}`;
}

const EXPECTED: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  object: "an object",
  array: "a list",
  record: "an object",
  null: "null",
};

/** Messages that read after a field name: `config.url must not be empty`. */
export const friendlyErrors: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      if (issue.expected === "int" && typeof issue.input === "number") return "must be a whole number";
      return `must be ${EXPECTED[issue.expected] ?? issue.expected} (got ${kindOf(issue.input)})`;
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "string") return min <= 1 ? "must not be empty" : `must have at least ${min} characters`;
      if (issue.origin === "array" || issue.origin === "set") return `must have at least ${min} item${min === 1 ? "" : "s"}`;
      return issue.inclusive ? `must be at least ${min}` : `must be greater than ${min}`;
    }
    case "too_big": {
      const max = Number(issue.maximum);
      if (issue.origin === "string") return `must have at most ${max} characters`;
      if (issue.origin === "array" || issue.origin === "set") return `must have at most ${max} items`;
      return issue.inclusive ? `must be at most ${max}` : `must be less than ${max}`;
    }
    case "invalid_value":
      return `must be ${issue.values.length === 1 ? "" : "one of "}${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_format":
      return `must be a valid ${issue.format}`;
    case "invalid_key":
      return "has an invalid key";
    default:
      return undefined;
  }
};

export function nodeName(view: { id: string; label?: string | undefined }): string {
  return view.label && view.label !== view.id ? `Block "${view.label}" (${view.id})` : `Block "${view.id}"`;
}

export function edgeName(edge: { id: string; source: string; target: string }): string {
  return `Connection ${edge.source} → ${edge.target}`;
}

export function handleName(handle: string | null): string {
  return handle === null ? "its unnamed output" : `handle "${handle}"`;
}

export function quoteList(items: readonly (string | null)[]): string {
  return items.map((h) => (h === null ? "the unnamed output" : `"${h}"`)).join(", ");
}

interface ZodIssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
}

/** Zod issues -> field path + message pairs (one per unknown key). */
export function issueFields(issues: readonly ZodIssueLike[]): { path: PropertyKey[]; message: string }[] {
  return issues.flatMap((issue) =>
    issue.code === "unrecognized_keys" && issue.keys
      ? issue.keys.map((key) => ({ path: [...issue.path, key], message: "is not a known setting" }))
      : [{ path: issue.path, message: issue.message }],
  );
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

