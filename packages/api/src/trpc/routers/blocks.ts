import { createTRPCRouter, workspaceProcedure } from "../init";
import { createBlock } from "../../services/blocks/create-block";
import { deleteBlock } from "../../services/blocks/delete-block";
import { getBlock } from "../../services/blocks/get-block";
import { listBlocks } from "../../services/blocks/list-blocks";
import { BlockIdInput, CreateBlockInput, ListBlocksInput, UpdateBlockInput } from "../../services/blocks/schemas";
import { updateBlock } from "../../services/blocks/update-block";

/** The block library. Viewers read; members create, edit and delete (checked in the services). */
export const blocksRouter = createTRPCRouter({
  list: workspaceProcedure.input(ListBlocksInput).query(({ ctx, input }) => listBlocks(ctx.deps, { actor: ctx.actor, input })),
  byId: workspaceProcedure.input(BlockIdInput).query(({ ctx, input }) => getBlock(ctx.deps, { actor: ctx.actor, input })),
  create: workspaceProcedure.input(CreateBlockInput).mutation(({ ctx, input }) => createBlock(ctx.deps, { actor: ctx.actor, input })),
  update: workspaceProcedure.input(UpdateBlockInput).mutation(({ ctx, input }) => updateBlock(ctx.deps, { actor: ctx.actor, input })),
  delete: workspaceProcedure.input(BlockIdInput).mutation(({ ctx, input }) => deleteBlock(ctx.deps, { actor: ctx.actor, input })),
});
