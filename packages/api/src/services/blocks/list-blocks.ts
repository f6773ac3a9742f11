import { and, blocks, desc, eq } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { blockView, type BlockView } from "./block-view";
import { ListBlocksInput } from "./schemas";

/** The workspace's block library, newest first, optionally of one type. */
export async function listBlocks(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<BlockView[]> {
  const { type } = parseInput(ListBlocksInput, input ?? {});
  return deps.db
    .select(blockView)
    .from(blocks)
    .where(and(eq(blocks.workspaceId, actor.workspaceId), type ? eq(blocks.type, type) : undefined))
    .orderBy(desc(blocks.createdAt), desc(blocks.id));
}
