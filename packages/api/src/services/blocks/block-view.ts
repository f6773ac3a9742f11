import { blocks } from "@weft/db";
import { blockConfigSchemas, type BlockType } from "@weft/flow";
import { AppError, formatPath } from "../../lib/errors";

export const blockView = {
  id: blocks.id,
  name: blocks.name,
  description: blocks.description,
  type: blocks.type,
  config: blocks.config,
  createdBy: blocks.createdBy,
  createdAt: blocks.createdAt,
  updatedAt: blocks.updatedAt,
};

export type BlockView = {
  id: string;
  name: string;
  description: string;
  type: string;
  config: Record<string, unknown>;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
};

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
