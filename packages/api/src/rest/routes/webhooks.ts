import { z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../../lib/errors";
import { configureWebhook } from "../../services/webhooks/configure-webhook";
import { getWebhook } from "../../services/webhooks/get-webhook";
import { listWebhookInvocations } from "../../services/webhooks/list-webhook-invocations";
import { receiveWebhook } from "../../services/webhooks/receive-webhook";
import { ConfigureWebhookInput, ListWebhookInvocationsInput } from "../../services/webhooks/schemas";
import { jsonBody, route, Uuid, type RestApp, type RestContext } from "../shared";

const FlowParams = z.object({ id: Uuid.openapi({ param: { name: "id", in: "path" } }) });
const tags = ["webhooks"];

/** Public path of flow webhooks: not under the caller middleware, JSON-only check or global body limit. */
export const WEBHOOK_PATH_PREFIX = "/api/webhooks/";

/** `/api/v1/flows/{id}/webhook...` (settings and log) and the public `POST /api/webhooks/{flowId}/{secret}`. */
export function registerWebhookRoutes(app: RestApp, { deps, actorFor }: RestContext): void {
  app.openapi(
    route({ method: "get", path: "/api/v1/flows/{id}/webhook", request: { params: FlowParams }, description: "The flow's webhook settings, or `{ webhook: null }`", tags }),
    async (c) => c.json(await getWebhook(deps, { actor: await actorFor(c), input: { flowId: c.req.valid("param").id } }), 200),
  );
  app.openapi(
    route({
      method: "post",
      path: "/api/v1/flows/{id}/webhook",
      request: { params: FlowParams, ...jsonBody(ConfigureWebhookInput.omit({ flowId: true })) },
      description: "Creates the webhook (first call) or changes it. `path` (the secret URL) only when created or rotated; `signingSecret` only when generated",
      tags,
    }),
    async (c) => {
      const input = { ...c.req.valid("json"), flowId: c.req.valid("param").id };
      return c.json(await configureWebhook(deps, { actor: await actorFor(c), input }), 200);
    },
  );
  app.openapi(
    route({
      method: "get",
      path: "/api/v1/flows/{id}/webhook/invocations",
      request: { params: FlowParams, query: ListWebhookInvocationsInput.omit({ flowId: true }) },
      description: "The webhook's calls, newest first: `{ items, nextCursor }`",
      tags,
    }),
    async (c) => {
      const input = { ...c.req.valid("query"), flowId: c.req.valid("param").id };
      return c.json(await listWebhookInvocations(deps, { actor: await actorFor(c), input }), 200);
    },
  );

  app.post(`${WEBHOOK_PATH_PREFIX}:flowId/:secret`, async (c) => {
    const response = await receiveWebhook(deps, {
      flowId: c.req.param("flowId"),
      secret: c.req.param("secret"),
      method: c.req.method,
      url: new URL(c.req.url),
      headers: c.req.raw.headers,
      readBody: async (maxBytes) => {
        let body: ArrayBuffer | undefined;
        const limit = bodyLimit({
          maxSize: maxBytes,
          onError: () => {
            throw new AppError("PAYLOAD_TOO_LARGE", `The body is over this webhook's limit of ${maxBytes} bytes`);
          },
        });
        await limit(c, async () => {
          body = await c.req.raw.arrayBuffer();
        });
        return new Uint8Array(body ?? new ArrayBuffer(0));
      },
    });
    return c.json(response.body, response.status as 200, response.headers);
  });
}
