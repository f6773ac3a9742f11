import { and, eq, variables } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { AppError, notFound } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { UpdateVariableInput } from "./schemas";
import { variableColumns, type VariableView } from "./variable-view";

/**
 * Changes a variable's value and/or secrecy (admins). Making a plain variable secret encrypts its
 * value; a secret cannot be made plain without giving the value again (it is never decrypted for that).
 */
export async function updateVariable(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<VariableView> {
  requireRole(actor.role, "admin");
  const { name, value, secret } = parseInput(UpdateVariableInput, input);
  return deps.db.transaction(async (tx) => {
    const where = and(eq(variables.workspaceId, actor.workspaceId), eq(variables.name, name));
    const [current] = await tx.select({ secret: variables.secret, value: variables.value }).from(variables).where(where).for("update");
    if (!current) throw notFound("Variable");
    const nextSecret = secret ?? current.secret;
    if (current.secret && !nextSecret && value === undefined) {
      throw new AppError("BAD_REQUEST", "Give the value again to turn a secret into a plain variable", { path: "value" });
    }
    const nextValue = value ?? (current.secret ? undefined : (current.value ?? ""));
    const set =
      nextValue === undefined
        ? { secret: nextSecret }
        : { secret: nextSecret, value: nextSecret ? null : nextValue, valueCiphertext: nextSecret ? deps.secrets.encrypt(nextValue) : null };
    const [row] = await tx.update(variables).set({ ...set, updatedAt: deps.now() }).where(where).returning(variableColumns);
    if (!row) throw notFound("Variable");
    await audit(tx, actor, "variable.update", { type: "variable", id: name }, { secret: nextSecret, valueChanged: value !== undefined });
    return row;
  });
}
