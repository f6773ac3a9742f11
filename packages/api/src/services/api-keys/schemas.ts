import { z } from "zod";
import { Role } from "../workspaces/schemas";

export const CreateApiKeyInput = z.object({
  name: z.string().trim().min(1, "Enter a name").max(80),
  /** What the key may do; at most the creator's role. Owner keys are not issued. */
  role: Role.exclude(["owner"]).default("member"),
});
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInput>;

export const RevokeApiKeyInput = z.object({ apiKeyId: z.uuid() });
export type RevokeApiKeyInput = z.infer<typeof RevokeApiKeyInput>;
