import { eq, sql, webhooks } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { findFlow } from "../flows/find-flow";
import { findWebhook } from "./find-webhook";
import { ConfigureWebhookInput } from "./schemas";
import { hashWebhookSecret, MAX_SIGNING_SECRETS, newSigningSecret, newWebhookSecret, webhookPath } from "./secrets";
import { webhookView, type WebhookView } from "./webhook-view";

export type ConfiguredWebhook = {
  webhook: WebhookView;
  /** `/api/webhooks/<flowId>/<secret>`: only when the webhook was created or its secret rotated. */
  path?: string;
  /** Only when a signing secret was generated. */
  signingSecret?: string;
};

/**
 * Creates the flow's webhook on first call (enabled, with a new secret URL) and changes its settings.
 * The flow row is locked, so two concurrent first calls make one webhook. Members and up.
 */
export async function configureWebhook(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<ConfiguredWebhook> {
  requireRole(actor.role, "member");
  const { flowId, rotate, signing, ...settings } = parseInput(ConfigureWebhookInput, input);
  return deps.db.transaction(async (tx) => {
    await findFlow(tx, { workspaceId: actor.workspaceId, flowId, lock: true });
    const existing = await findWebhook(tx, { workspaceId: actor.workspaceId, flowId });
    const secret = !existing || rotate ? newWebhookSecret() : undefined;
    const signingSecret = signing === "generate" || signing === "rotate" ? newSigningSecret() : undefined;
    const current = existing?.signingSecretsCiphertext ?? [];
    const signingSecrets =
      signing === "disable"
        ? []
        : signing === "generate"
          ? [deps.secrets.encrypt(signingSecret!)]
          : signing === "rotate"
            ? [deps.secrets.encrypt(signingSecret!), ...current].slice(0, MAX_SIGNING_SECRETS)
            : undefined;
    const changes = {
      ...settings,
      ...(secret ? { secretHash: hashWebhookSecret(secret) } : {}),
      ...(signingSecrets ? { signingSecretsCiphertext: signingSecrets } : {}),
      ...(existing && rotate ? { rotatedAt: sql`now()` } : {}),
    };
    let row;
    if (existing) {
      [row] = await tx
        .update(webhooks)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(eq(webhooks.id, existing.id))
        .returning();
    } else {
      [row] = await tx
        .insert(webhooks)
        .values({ workspaceId: actor.workspaceId, flowId, secretHash: hashWebhookSecret(secret!), ...settings, ...(signingSecrets ? { signingSecretsCiphertext: signingSecrets } : {}) })
        .returning();
    }
    if (!row) throw new Error("webhook write returned nothing");
    await audit(tx, actor, existing ? "webhook.update" : "webhook.create", { type: "flow", id: flowId }, {
      ...settings,
      ...(rotate ? { rotated: true } : {}),
      ...(signing ? { signing } : {}),
    });
    return {
      webhook: webhookView(row),
      ...(secret ? { path: webhookPath(flowId, secret) } : {}),
      ...(signingSecret ? { signingSecret } : {}),
    };
  });
}
