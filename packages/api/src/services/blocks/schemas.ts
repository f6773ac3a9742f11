import { BlockType } from "@weft/flow";
import { z } from "zod";

const Name = z.string().trim().min(1, "Enter a name").max(200);
const Description = z.string().max(2000);
/** Checked against `blockConfigSchemas[type]` by the services (the error names `config.<field>`). */
const Config = z.record(z.string(), z.unknown());

export const ListBlocksInput = z.object({ type: BlockType.optional() });
export type ListBlocksInput = z.infer<typeof ListBlocksInput>;

export const BlockIdInput = z.object({ blockId: z.uuid() });
export type BlockIdInput = z.infer<typeof BlockIdInput>;

export const CreateBlockInput = z.object({
  name: Name,
  description: Description.optional(),
  type: BlockType,
  config: Config.default({}),
});
export type CreateBlockInput = z.infer<typeof CreateBlockInput>;

export const UpdateBlockInput = z.object({
  blockId: z.uuid(),
  name: Name.optional(),
  description: Description.optional(),
  /** Changing the type re-checks the config (the stored one unless a new one is sent). */
  type: BlockType.optional(),
  config: Config.optional(),
});
export type UpdateBlockInput = z.infer<typeof UpdateBlockInput>;
