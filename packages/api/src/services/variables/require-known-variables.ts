import { and, eq, inArray, variables, type DbOrTx } from "@weft/db";
import { unknownVariableProblems, variableReferences, type FlowProblem } from "@weft/flow";
import { AppError } from "../../lib/errors";

/** `unknown_variable` problems of a graph: every `{{ env.NAME }}` the workspace has no variable for. */
export async function unknownVariables(db: DbOrTx, { workspaceId, graph }: { workspaceId: string; graph: { nodes: readonly unknown[] } }): Promise<FlowProblem[]> {
  const names = [...new Set(variableReferences(graph).map((r) => r.name))];
  if (names.length === 0) return [];
  const rows = await db
    .select({ name: variables.name })
    .from(variables)
    .where(and(eq(variables.workspaceId, workspaceId), inArray(variables.name, names)));
  return unknownVariableProblems(graph, rows.map((r) => r.name));
}

/** A 400 naming the first node and field that uses a variable the workspace does not have. */
export async function requireKnownVariables(db: DbOrTx, input: { workspaceId: string; graph: { nodes: readonly unknown[] } }): Promise<void> {
  const problems = await unknownVariables(db, input);
  const first = problems[0];
  if (!first) return;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
  throw new AppError("BAD_REQUEST", `${first.message}${more}`, { path: `nodes.${first.nodeId}.${first.path}` });
}
