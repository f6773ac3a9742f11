import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { sourceInputSchema } from "../executions/require-valid-input";
import { resolveRunGraph } from "../executions/resolve-run-graph";
import { findFlow } from "../flows/find-flow";
import { findWebhook } from "./find-webhook";
import { WebhookFlowInput } from "./schemas";
import { webhookView, type WebhookView } from "./webhook-view";

/**
 * The flow's webhook settings (null when it has none), and `inputSchema`: the Start block's input schema
 * that request bodies are checked against (the published version's, else the draft's; null when there
 * is none), so the panel can show a body that passes. Any member, viewers included, may read them.
 */
export async function getWebhook(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ webhook: WebhookView | null; inputSchema: object | null }> {
  const { flowId } = parseInput(WebhookFlowInput, input);
  const flow = await findFlow(deps.db, { workspaceId: actor.workspaceId, flowId });
  const row = await findWebhook(deps.db, { workspaceId: actor.workspaceId, flowId });
  const { graph } = await resolveRunGraph(deps.db, { workspaceId: actor.workspaceId, flow });
  return { webhook: row ? webhookView(row) : null, inputSchema: sourceInputSchema(graph) };
}
