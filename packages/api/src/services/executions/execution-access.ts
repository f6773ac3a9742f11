import { and, eq, flowExecutions, type FlowExecution } from "@weft/db";
import { TransitionRefusedError } from "@weft/engine";
import { validateFlow, type FlowGraph } from "@weft/flow";
import type { Deps } from "../../lib/context";
import { AppError, notFound } from "../../lib/errors";

/** Shared by the execution services: tenant-scoped lookups, graph validation, engine error mapping. */

export type Graph = { nodes: unknown[]; edges: unknown[] };

/** An execution of this workspace, or 404 (also for another workspace's id). */
export async function findExecution(deps: Deps, { workspaceId, executionId }: { workspaceId: string; executionId: string }): Promise<FlowExecution> {
  const [row] = await deps.db
    .select()
    .from(flowExecutions)
    .where(and(eq(flowExecutions.id, executionId), eq(flowExecutions.workspaceId, workspaceId)));
  if (!row) throw notFound("Execution");
  return row;
}

const MAX_LISTED_PROBLEMS = 20;

/** 400 listing every problem of the graph (validateFlow from @weft/flow) unless it is valid. */
export function requireValidGraph(graph: Graph): FlowGraph {
  const result = validateFlow(graph);
  if (result.ok) return result.graph;
  const { problems } = result;
  const shown = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => p.message);
  const more = problems.length > MAX_LISTED_PROBLEMS ? ` (and ${problems.length - MAX_LISTED_PROBLEMS} more)` : "";
  const first = problems[0];
  throw new AppError("BAD_REQUEST", `The flow cannot run: ${shown.join("; ")}${more}`, {
    path: first?.nodeId ? `nodes.${first.nodeId}${first.path ? `.${first.path}` : ""}` : first?.path,
  });
}

/** Runs an engine command; a refused transition is a 409 naming the current status. */
export async function engineCommand<T>(command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch (error) {
    if (error instanceof TransitionRefusedError) throw new AppError("CONFLICT", error.message, { cause: error });
    throw error;
  }
}

export const streamUrl = (executionId: string) => `/api/v1/executions/${executionId}/stream`;

/** `nodeId` must be a node of the execution's pinned graph: else 400 naming the field. */
export function requireStepOf(execution: Pick<FlowExecution, "graph">, nodeId: string, path: string): void {
  const nodes = (execution.graph?.nodes ?? []) as Array<{ id?: unknown }>;
  if (!nodes.some((n) => n.id === nodeId)) throw new AppError("BAD_REQUEST", `${path}: this run has no step "${nodeId}"`, { path });
}
