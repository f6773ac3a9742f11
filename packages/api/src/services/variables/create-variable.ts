import { and, eq, variables } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { CreateVariableInput } from "./schemas";
import { variableColumns, type VariableView } from "./variable-view";

/** A new variable (admins); a secret is stored encrypted. A name already taken is a 409. */
export async function createVariable(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<VariableView> {
  requireRole(actor.role, "admin");
  const { name, value, secret } = parseInput(CreateVariableInput, input);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(variables)
      .values({
        workspaceId: actor.workspaceId,
        name,
        secret,
        value: secret ? null : value,
        valueCiphertext: secret ? deps.secrets.encrypt(value) : null,
        createdBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning(variableColumns);
    if (!row) {
      const [taken] = await tx.select({ name: variables.name }).from(variables).where(and(eq(variables.workspaceId, actor.workspaceId), eq(variables.name, name)));
      if (taken) throw new AppError("CONFLICT", `A variable named ${name} already exists`, { path: "name" });
      throw new Error("variable insert returned nothing");
    }
    await audit(tx, actor, "variable.create", { type: "variable", id: name }, { secret });
    return row;
  });
}
