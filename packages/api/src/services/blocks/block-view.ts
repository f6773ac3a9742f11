import { blocks, blockVersions, sql, type DbOrTx } from "@weft/db";
import { blockConfigSchemas, type BlockType } from "@weft/flow";
import { AppError, formatPath } from "../../lib/errors";

export const blockView = {
  id: blocks.id,
  name: blocks.name,
  description: blocks.description,
  type: blocks.type,
  config: blocks.config,
  version: blocks.version,
  createdBy: blocks.createdBy,
  createdAt: blocks.createdAt,
  updatedAt: blocks.updatedAt,
  // Qualified by hand: drizzle writes a single table's columns unqualified, which `flows f` would capture.
  /** Live flows whose draft has a node with `data.blockRef.blockId` = this block. */
  usageCount: sql<number>`(
    select count(*)::int from flows f
    where f.workspace_id = blocks.workspace_id and f.deleted_at is null
      and f.nodes @> jsonb_build_array(jsonb_build_object('data', jsonb_build_object('blockRef', jsonb_build_object('blockId', blocks.id::text))))
  )`,
};

export type BlockView = {
  id: string;
  name: string;
  description: string;
  type: string;
  config: Record<string, unknown>;
  version: number;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  usageCount: number;
};

/** Records the block's current state as version `version` (every save adds one). */
export async function addBlockVersion(
  tx: DbOrTx,
  row: Pick<BlockView, "id" | "name" | "description" | "type" | "config" | "version" | "createdBy"> & { workspaceId: string; at: Date },
): Promise<void> {
  await tx.insert(blockVersions).values({
    workspaceId: row.workspaceId,
    blockId: row.id,
    version: row.version,
    name: row.name,
    description: row.description,
    type: row.type,
    config: row.config,
    createdBy: row.createdBy,
    createdAt: row.at,
  });
}

/** The config parsed by its block type's schema (defaults applied); a 400 naming `config.<field>`. */
export function parseBlockConfig(type: BlockType, config: unknown): Record<string, unknown> {
  const result = blockConfigSchemas[type].safeParse(config);
  if (!result.success) {
    const issue = result.error.issues[0];
    // An unknown key (`metod` for `method`) is named in the path, like any other bad field.
    const key = issue?.code === "unrecognized_keys" ? issue.keys.slice(0, 1) : [];
    const path = formatPath(["config", ...(issue?.path ?? []), ...key]);
    throw new AppError("BAD_REQUEST", `${path}: ${issue?.message ?? "is not valid"}`, { path, cause: result.error });
  }
  return result.data;
}
