import { createTRPCRouter, workspaceProcedure } from "../init";
import { deleteArtifact } from "../../services/artifacts/delete-artifact";
import { listArtifacts } from "../../services/artifacts/list-artifacts";
import { ArtifactIdInput, ListArtifactsInput } from "../../services/artifacts/schemas";

/** `artifacts` of runs (uploads and downloads stream over REST: `/api/v1/executions/{id}/artifacts`). */
export const artifactsRouter = createTRPCRouter({
  list: workspaceProcedure.input(ListArtifactsInput).query(({ ctx, input }) => listArtifacts(ctx.deps, { actor: ctx.actor, input })),
  delete: workspaceProcedure.input(ArtifactIdInput).mutation(({ ctx, input }) => deleteArtifact(ctx.deps, { actor: ctx.actor, input })),
});
