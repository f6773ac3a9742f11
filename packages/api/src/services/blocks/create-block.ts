import { blocks } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { addBlockVersion, blockView, parseBlockConfig, type BlockView } from "./block-view";
import { CreateBlockInput } from "./schemas";

/** Saves a configured block to the library as its version 1; its config must be valid for its type. */
export async function createBlock(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<BlockView> {
  requireRole(actor.role, "member");
  const { name, description, type, config } = parseInput(CreateBlockInput, input);
  const parsed = parseBlockConfig(type, config);
  return deps.db.transaction(async (tx) => {
    const now = deps.now();
    const [row] = await tx
      .insert(blocks)
      .values({
        workspaceId: actor.workspaceId,
        name,
        description: description ?? "",
        type,
        config: parsed,
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning(blockView);
    if (!row) throw new Error("block insert returned nothing");
    await addBlockVersion(tx, { ...row, workspaceId: actor.workspaceId, at: now });
    await audit(tx, actor, "block.create", { type: "block", id: row.id }, { name, type });
    return row;
  });
}
