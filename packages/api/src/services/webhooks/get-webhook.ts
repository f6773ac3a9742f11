import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { findFlow } from "../flows/find-flow";
import { findWebhook } from "./find-webhook";
import { WebhookFlowInput } from "./schemas";
import { webhookView, type WebhookView } from "./webhook-view";

/** The flow's webhook settings (null when it has none). Any member, viewers included, may read them. */
export async function getWebhook(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ webhook: WebhookView | null }> {
  const { flowId } = parseInput(WebhookFlowInput, input);
  await findFlow(deps.db, { workspaceId: actor.workspaceId, flowId });
  const row = await findWebhook(deps.db, { workspaceId: actor.workspaceId, flowId });
  return { webhook: row ? webhookView(row) : null };
}
