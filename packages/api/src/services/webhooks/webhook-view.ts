import type { Webhook } from "@weft/db";

/** What the API shows of a webhook: never the URL secret or a signing secret (those are shown once). */
export function webhookView(row: Webhook) {
  return {
    id: row.id,
    flowId: row.flowId,
    enabled: row.enabled,
    responseMode: row.responseMode,
    syncTimeoutMs: row.syncTimeoutMs,
    rateLimitPerMinute: row.rateLimitPerMinute,
    maxBodyBytes: row.maxBodyBytes,
    signatureRequired: row.signingSecretsCiphertext.length > 0,
    signingSecretCount: row.signingSecretsCiphertext.length,
    rotatedAt: row.rotatedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
export type WebhookView = ReturnType<typeof webhookView>;
