import { createTRPCRouter, workspaceProcedure } from "../init";
import { configureWebhook } from "../../services/webhooks/configure-webhook";
import { getWebhook } from "../../services/webhooks/get-webhook";
import { listWebhookInvocations } from "../../services/webhooks/list-webhook-invocations";
import { ConfigureWebhookInput, ListWebhookInvocationsInput, WebhookFlowInput } from "../../services/webhooks/schemas";

/** A flow's webhook: viewers read settings and the log; members create, rotate and change it. */
export const webhooksRouter = createTRPCRouter({
  get: workspaceProcedure.input(WebhookFlowInput).query(({ ctx, input }) => getWebhook(ctx.deps, { actor: ctx.actor, input })),
  configure: workspaceProcedure.input(ConfigureWebhookInput).mutation(({ ctx, input }) => configureWebhook(ctx.deps, { actor: ctx.actor, input })),
  invocations: workspaceProcedure.input(ListWebhookInvocationsInput).query(({ ctx, input }) => listWebhookInvocations(ctx.deps, { actor: ctx.actor, input })),
});
