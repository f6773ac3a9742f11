import { createTRPCRouter, workspaceProcedure } from "../init";
import { createConnection } from "../../services/connections/create-connection";
import { deleteConnection } from "../../services/connections/delete-connection";
import { getConnection } from "../../services/connections/get-connection";
import { listConnections } from "../../services/connections/list-connections";
import { ConnectionIdInput, CreateConnectionInput, UpdateConnectionInput } from "../../services/connections/schemas";
import { testConnection } from "../../services/connections/test-connection";
import { updateConnection } from "../../services/connections/update-connection";

export const connectionsRouter = createTRPCRouter({
  list: workspaceProcedure.query(({ ctx }) => listConnections(ctx.deps, { actor: ctx.actor })),
  byId: workspaceProcedure.input(ConnectionIdInput).query(({ ctx, input }) => getConnection(ctx.deps, { actor: ctx.actor, input })),
  create: workspaceProcedure
    .input(CreateConnectionInput)
    .mutation(({ ctx, input }) => createConnection(ctx.deps, { actor: ctx.actor, input })),
  update: workspaceProcedure
    .input(UpdateConnectionInput)
    .mutation(({ ctx, input }) => updateConnection(ctx.deps, { actor: ctx.actor, input })),
  delete: workspaceProcedure
    .input(ConnectionIdInput)
    .mutation(({ ctx, input }) => deleteConnection(ctx.deps, { actor: ctx.actor, input })),
  /** A real call to the provider with the stored key (members may test; the key never comes back). */
  test: workspaceProcedure
    .input(ConnectionIdInput)
    .mutation(({ ctx, input }) => testConnection(ctx.deps, { actor: ctx.actor, input })),
});
