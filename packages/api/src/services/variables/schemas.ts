import { VARIABLE_NAME_RE } from "@weft/flow";
import { z } from "zod";

export const VariableName = z
  .string()
  .regex(VARIABLE_NAME_RE, 'must start with a letter or "_" and hold at most 100 letters, digits or "_"');
const Value = z.string().max(64 * 1024, "must have at most 65536 characters");

export const CreateVariableInput = z.object({
  name: VariableName,
  value: Value,
  /** Encrypted at rest, never returned, masked as *** in runs. */
  secret: z.boolean().default(false),
});
export type CreateVariableInput = z.infer<typeof CreateVariableInput>;

export const UpdateVariableInput = z.object({
  name: VariableName,
  value: Value.optional(),
  secret: z.boolean().optional(),
});
export type UpdateVariableInput = z.infer<typeof UpdateVariableInput>;

export const VariableNameInput = z.object({ name: VariableName });
export type VariableNameInput = z.infer<typeof VariableNameInput>;
