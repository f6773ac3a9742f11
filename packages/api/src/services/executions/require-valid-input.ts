import { inputForSchema, jsonSchemaProblem } from "@weft/engine";
import { AppError } from "../../lib/errors";

type NodesOf = { nodes: unknown[] };

/** The source block's `inputSchema`, if the graph has a source with one. */
export function sourceInputSchema(graph: NodesOf): object | null {
  const source = graph.nodes.find((n): n is { type: string; data?: { config?: { inputSchema?: unknown } } } => (n as { type?: unknown } | null)?.type === "source");
  const schema = source?.data?.config?.inputSchema;
  return schema && typeof schema === "object" ? schema : null;
}

/**
 * The run input against the source block's `inputSchema` (without its `trigger` key, see
 * inputForSchema): a 400 naming the field. `at` names where the value came from: `input` (a manual,
 * API or scheduled run: `input.<field>`) or `body` (a webhook's body: `body.<field>`).
 */
export function requireValidInput(graph: NodesOf, input: unknown, at: "input" | "body" = "input"): void {
  const schema = sourceInputSchema(graph);
  if (!schema) return;
  let problem: string | null;
  try {
    problem = jsonSchemaProblem(schema, inputForSchema(input));
  } catch {
    throw new AppError("BAD_REQUEST", "The Start block's input schema is not a valid JSON Schema", { path: at });
  }
  if (!problem) return;
  // jsonSchemaProblem answers `<dotted path or "input">: <message>`.
  const split = problem.indexOf(": ");
  const where = split < 0 ? "input" : problem.slice(0, split);
  const message = split < 0 ? problem : problem.slice(split + 2);
  const required = /required property '([^']+)'/.exec(message)?.[1];
  const path = [at, ...(where === "input" ? [] : [where]), ...(required ? [required] : [])].join(".");
  throw new AppError("BAD_REQUEST", `${path}: ${message}`, { path });
}
