import { createTRPCRouter, workspaceProcedure } from "../init";
import { createVariable } from "../../services/variables/create-variable";
import { deleteVariable } from "../../services/variables/delete-variable";
import { listVariables } from "../../services/variables/list-variables";
import { CreateVariableInput, UpdateVariableInput, VariableNameInput } from "../../services/variables/schemas";
import { updateVariable } from "../../services/variables/update-variable";

/** Workspace variables: everyone reads (secrets without value), admins write (checked in the services). */
export const variablesRouter = createTRPCRouter({
  list: workspaceProcedure.query(({ ctx }) => listVariables(ctx.deps, { actor: ctx.actor })),
  create: workspaceProcedure.input(CreateVariableInput).mutation(({ ctx, input }) => createVariable(ctx.deps, { actor: ctx.actor, input })),
  update: workspaceProcedure.input(UpdateVariableInput).mutation(({ ctx, input }) => updateVariable(ctx.deps, { actor: ctx.actor, input })),
  delete: workspaceProcedure.input(VariableNameInput).mutation(({ ctx, input }) => deleteVariable(ctx.deps, { actor: ctx.actor, input })),
});
