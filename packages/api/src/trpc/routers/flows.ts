import { createTRPCRouter, workspaceProcedure } from "../init";
import { createFlow } from "../../services/flows/create-flow";
import { deleteFlow } from "../../services/flows/delete-flow";
import { duplicateFlow } from "../../services/flows/duplicate-flow";
import { ExportFlowInput, exportFlow } from "../../services/flows/export-flow";
import { getFlow } from "../../services/flows/get-flow";
import { ImportFlowInput, importFlow } from "../../services/flows/import-flow";
import { listFlowVersions } from "../../services/flows/list-flow-versions";
import { listFlows } from "../../services/flows/list-flows";
import { publishFlow } from "../../services/flows/publish-flow";
import { CreateFlowInput, FlowIdInput, ListFlowsInput, UpdateFlowInput } from "../../services/flows/schemas";
import { updateFlow } from "../../services/flows/update-flow";
import { validateStoredFlow } from "../../services/flows/validate-stored-flow";

/** Viewers read; members create, edit, delete, duplicate and publish (checked in the services). */
export const flowsRouter = createTRPCRouter({
  list: workspaceProcedure.input(ListFlowsInput).query(({ ctx, input }) => listFlows(ctx.deps, { actor: ctx.actor, input })),
  byId: workspaceProcedure.input(FlowIdInput).query(({ ctx, input }) => getFlow(ctx.deps, { actor: ctx.actor, input })),
  create: workspaceProcedure.input(CreateFlowInput).mutation(({ ctx, input }) => createFlow(ctx.deps, { actor: ctx.actor, input })),
  update: workspaceProcedure.input(UpdateFlowInput).mutation(({ ctx, input }) => updateFlow(ctx.deps, { actor: ctx.actor, input })),
  delete: workspaceProcedure.input(FlowIdInput).mutation(({ ctx, input }) => deleteFlow(ctx.deps, { actor: ctx.actor, input })),
  duplicate: workspaceProcedure.input(FlowIdInput).mutation(({ ctx, input }) => duplicateFlow(ctx.deps, { actor: ctx.actor, input })),
  validate: workspaceProcedure.input(FlowIdInput).query(({ ctx, input }) => validateStoredFlow(ctx.deps, { actor: ctx.actor, input })),
  publish: workspaceProcedure.input(FlowIdInput).mutation(({ ctx, input }) => publishFlow(ctx.deps, { actor: ctx.actor, input })),
  versions: workspaceProcedure.input(FlowIdInput).query(({ ctx, input }) => listFlowVersions(ctx.deps, { actor: ctx.actor, input })),
  /** The flow as a weft/v1 file (`{ body, contentType, filename }`). */
  export: workspaceProcedure.input(ExportFlowInput).query(({ ctx, input }) => exportFlow(ctx.deps, { actor: ctx.actor, input })),
  /** A weft/v1 file (or a step/stage workflow) pasted or uploaded: a new flow, or with flowId + version the draft replaced. */
  import: workspaceProcedure.input(ImportFlowInput).mutation(({ ctx, input }) => importFlow(ctx.deps, { actor: ctx.actor, input })),
});
