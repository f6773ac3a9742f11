import { authedProcedure, createTRPCRouter, workspaceProcedure } from "../init";
import { createWorkspace } from "../../services/workspaces/create-workspace";
import { listWorkspaces } from "../../services/workspaces/list-workspaces";
import { renameWorkspace } from "../../services/workspaces/rename-workspace";
import { CreateWorkspaceInput, RenameWorkspaceInput } from "../../services/workspaces/schemas";

export const workspacesRouter = createTRPCRouter({
  list: authedProcedure.query(({ ctx }) => listWorkspaces(ctx.deps, { userId: ctx.user.id })),
  byId: workspaceProcedure.query(({ ctx }) => ({ id: ctx.actor.workspaceId, name: ctx.workspaceName, role: ctx.actor.role })),
  create: authedProcedure
    .input(CreateWorkspaceInput)
    .mutation(({ ctx, input }) => createWorkspace(ctx.deps, { userId: ctx.user.id, input })),
  rename: workspaceProcedure
    .input(RenameWorkspaceInput)
    .mutation(({ ctx, input }) => renameWorkspace(ctx.deps, { actor: ctx.actor, input })),
});
