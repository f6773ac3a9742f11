import { and, blocks, eq } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { BlockIdInput } from "./schemas";

/** Removes a block from the library (flows that used it keep their own copy of the config). */
export async function deleteBlock(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ id: string }> {
  requireRole(actor.role, "member");
  const { blockId } = parseInput(BlockIdInput, input);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(blocks)
      .where(and(eq(blocks.id, blockId), eq(blocks.workspaceId, actor.workspaceId)))
      .returning({ id: blocks.id });
    if (!row) throw notFound("Block");
    await audit(tx, actor, "block.delete", { type: "block", id: blockId });
    return row;
  });
}
