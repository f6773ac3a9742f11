import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** URL secret: 32 random bytes (256 bits), base64url. Only its SHA-256 is stored. */
export const newWebhookSecret = () => randomBytes(32).toString("base64url");

export const hashWebhookSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");

/** Constant-time: both sides are hashed to 32 bytes first, so neither length nor content leaks. */
export function webhookSecretMatches(storedHash: string, secret: string): boolean {
  const expected = Buffer.from(storedHash, "hex");
  const actual = createHash("sha256").update(secret).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes. */
export const newSigningSecret = () => `whsec_${randomBytes(32).toString("base64")}`;

/** Signing secrets kept at once: the newest and the one before it (rotation grace). */
export const MAX_SIGNING_SECRETS = 2;

export const webhookPath = (flowId: string, secret: string) => `/api/webhooks/${flowId}/${secret}`;
