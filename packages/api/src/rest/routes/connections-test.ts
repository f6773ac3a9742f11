import { z } from "@hono/zod-openapi";
import { testConnection } from "../../services/connections/test-connection";
import { route, Uuid, type RestApp, type RestContext } from "../shared";

const ConnectionParams = z.object({ id: Uuid.openapi({ param: { name: "id", in: "path" } }) });

/** `POST /api/v1/connections/{id}/test`: a real call to the provider with the stored key. */
export function registerConnectionTestRoutes(app: RestApp, { deps, actorFor }: RestContext): void {
  app.openapi(
    route({
      method: "post",
      path: "/api/v1/connections/{id}/test",
      request: { params: ConnectionParams },
      description: "`{ ok, status?, latencyMs, message }` from listing the provider's models (the key is never returned)",
      tags: ["connections"],
    }),
    async (c) => c.json(await testConnection(deps, { actor: await actorFor(c), input: { connectionId: c.req.valid("param").id } }), 200),
  );
}
