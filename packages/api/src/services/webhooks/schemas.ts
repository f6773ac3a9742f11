import { z } from "zod";

export const WebhookFlowInput = z.object({ flowId: z.uuid() });

export const ConfigureWebhookInput = z.object({
  flowId: z.uuid(),
  enabled: z.boolean().optional(),
  /** A new URL secret: the old URL stops working at once. The new URL is in this response only. */
  rotate: z.boolean().optional(),
  responseMode: z.enum(["async", "sync"]).optional(),
  /** How long a sync call waits for the run before answering 202 with its ids. */
  syncTimeoutMs: z.number().int().min(100).max(120_000).optional(),
  rateLimitPerMinute: z.number().int().min(1).max(100_000).optional(),
  maxBodyBytes: z.number().int().min(1).max(10 * 1024 * 1024).optional(),
  /**
   * Standard Webhooks signatures: `generate` requires them with a new signing secret (replacing any),
   * `rotate` adds a new secret while the previous one keeps working, `disable` stops requiring them.
   * A generated secret is in this response only.
   */
  signing: z.enum(["generate", "rotate", "disable"]).optional(),
});
export type ConfigureWebhookInput = z.infer<typeof ConfigureWebhookInput>;

export const ListWebhookInvocationsInput = z.object({
  flowId: z.uuid(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});
