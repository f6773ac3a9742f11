import { and, blocks, eq, sql } from "@weft/db";
import { isBlockType } from "@weft/flow";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { AppError, notFound } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { addBlockVersion, blockView, parseBlockConfig, type BlockView } from "./block-view";
import { UpdateBlockInput } from "./schemas";

/** Saves a block: a new version (readable at `/blocks/{id}/versions`), flows that follow the latest use it. */
export async function updateBlock(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<BlockView> {
  requireRole(actor.role, "member");
  const { blockId, name, description, type, config } = parseInput(UpdateBlockInput, input);
  return deps.db.transaction(async (tx) => {
    const where = and(eq(blocks.id, blockId), eq(blocks.workspaceId, actor.workspaceId));
    const [current] = await tx.select({ type: blocks.type, config: blocks.config }).from(blocks).where(where).for("update");
    if (!current) throw notFound("Block");
    const nextType = type ?? current.type;
    if (!isBlockType(nextType)) throw new AppError("BAD_REQUEST", `type: Unknown block type "${nextType}"`, { path: "type" });
    // The (type, config) pair that will be stored must be valid together.
    const nextConfig = type !== undefined || config !== undefined ? parseBlockConfig(nextType, config ?? current.config) : undefined;
    const [row] = await tx
      .update(blocks)
      .set({
        ...(name !== undefined ? { name } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(type !== undefined ? { type } : {}),
        ...(nextConfig !== undefined ? { config: nextConfig } : {}),
        version: sql`${blocks.version} + 1`,
        updatedAt: deps.now(),
      })
      .where(where)
      .returning(blockView);
    await addBlockVersion(tx, { ...row!, createdBy: actor.userId, workspaceId: actor.workspaceId, at: deps.now() });
    const fields = Object.entries({ name, description, type, config })
      .filter(([, value]) => value !== undefined)
      .map(([field]) => field);
    await audit(tx, actor, "block.update", { type: "block", id: blockId }, { fields });
    return row!;
  });
}
