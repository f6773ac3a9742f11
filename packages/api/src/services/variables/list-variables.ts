import { asc, eq, variables } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { variableColumns, type VariableView } from "./variable-view";

/** The workspace's variables by name (any role may read; secrets without their value). */
export async function listVariables(deps: Deps, { actor }: { actor: Actor }): Promise<VariableView[]> {
  return deps.db.select(variableColumns).from(variables).where(eq(variables.workspaceId, actor.workspaceId)).orderBy(asc(variables.name));
}
