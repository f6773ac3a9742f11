import { and, eq, variables } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { VariableNameInput } from "./schemas";

export async function deleteVariable(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ name: string }> {
  requireRole(actor.role, "admin");
  const { name } = parseInput(VariableNameInput, input);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(variables)
      .where(and(eq(variables.workspaceId, actor.workspaceId), eq(variables.name, name)))
      .returning({ name: variables.name });
    if (!row) throw notFound("Variable");
    await audit(tx, actor, "variable.delete", { type: "variable", id: name });
    return row;
  });
}
