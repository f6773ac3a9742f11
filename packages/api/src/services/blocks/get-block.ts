import { and, blocks, eq } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { parseInput } from "../../lib/validation";
import { blockView, type BlockView } from "./block-view";
import { BlockIdInput } from "./schemas";

export async function getBlock(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<BlockView> {
  const { blockId } = parseInput(BlockIdInput, input);
  const [row] = await deps.db
    .select(blockView)
    .from(blocks)
    .where(and(eq(blocks.id, blockId), eq(blocks.workspaceId, actor.workspaceId)));
  if (!row) throw notFound("Block");
  return row;
}
