import { createTRPCRouter, workspaceProcedure } from "../init";
import { getBlockTest } from "../../services/block-tests/get-block-test";
import { listBlockTests } from "../../services/block-tests/list-block-tests";
import { replayBlockTest } from "../../services/block-tests/replay-block-test";
import { BlockTestIdInput, ListBlockTestsInput, ReplayBlockTestInput, StartBlockTestInput } from "../../services/block-tests/schemas";
import { startBlockTest } from "../../services/block-tests/start-block-test";
import { listBlockVersions } from "../../services/blocks/list-block-versions";
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
  versions: workspaceProcedure.input(BlockIdInput).query(({ ctx, input }) => listBlockVersions(ctx.deps, { actor: ctx.actor, input })),
  /** The block test panel: start, history, one test, replay (members start; viewers read). */
  test: workspaceProcedure.input(StartBlockTestInput).mutation(({ ctx, input }) => startBlockTest(ctx.deps, { actor: ctx.actor, input })),
  tests: workspaceProcedure.input(ListBlockTestsInput).query(({ ctx, input }) => listBlockTests(ctx.deps, { actor: ctx.actor, input })),
  testById: workspaceProcedure.input(BlockTestIdInput).query(({ ctx, input }) => getBlockTest(ctx.deps, { actor: ctx.actor, input })),
  replay: workspaceProcedure.input(ReplayBlockTestInput).mutation(({ ctx, input }) => replayBlockTest(ctx.deps, { actor: ctx.actor, input })),
});
