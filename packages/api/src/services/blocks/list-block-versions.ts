import { and, blockVersions, desc, eq } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { getBlock } from "./get-block";
import { BlockIdInput } from "./schemas";

export type BlockVersionView = {
  version: number;
  name: string;
  description: string;
  type: string;
  config: Record<string, unknown>;
  createdBy: string | null;
  createdAt: Date;
};

/** Every saved version of a block, newest first (404 for a block of another workspace). */
export async function listBlockVersions(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<BlockVersionView[]> {
  const { blockId } = parseInput(BlockIdInput, input);
  await getBlock(deps, { actor, input: { blockId } });
  const v = blockVersions;
  return deps.db
    .select({ version: v.version, name: v.name, description: v.description, type: v.type, config: v.config, createdBy: v.createdBy, createdAt: v.createdAt })
    .from(v)
    .where(and(eq(v.workspaceId, actor.workspaceId), eq(v.blockId, blockId)))
    .orderBy(desc(v.version));
}
