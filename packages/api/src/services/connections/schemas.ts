import { z } from "zod";

export const Provider = z.enum(["openai", "anthropic", "openai_compatible"]);
const HttpUrl = z
  .url({ protocol: /^https?$/, message: "Enter an http(s) URL" })
  .max(2000);
const Secret = z.string().trim().min(1, "Enter the API key").max(4000);
const Config = z.record(z.string(), z.unknown()).default({});

export const CreateConnectionInput = z
  .object({
    name: z.string().trim().min(1, "Enter a name").max(80),
    provider: Provider,
    apiKey: Secret,
    baseUrl: HttpUrl.optional(),
    config: Config,
  })
  .refine((v) => v.provider !== "openai_compatible" || v.baseUrl, {
    message: "An OpenAI-compatible connection needs a base URL",
    path: ["baseUrl"],
  });
export type CreateConnectionInput = z.infer<typeof CreateConnectionInput>;

export const UpdateConnectionInput = z.object({
  connectionId: z.uuid(),
  name: z.string().trim().min(1, "Enter a name").max(80).optional(),
  /** A new secret replaces the old one; omit to keep it (not allowed when the base URL changes). */
  apiKey: Secret.optional(),
  baseUrl: HttpUrl.nullable().optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});
export type UpdateConnectionInput = z.infer<typeof UpdateConnectionInput>;

export const ConnectionIdInput = z.object({ connectionId: z.uuid() });
export type ConnectionIdInput = z.infer<typeof ConnectionIdInput>;
