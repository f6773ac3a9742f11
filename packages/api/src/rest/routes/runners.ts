import { z } from "@hono/zod-openapi";
import { createRegistrationToken } from "../../services/runners/create-registration-token";
import { listRunners } from "../../services/runners/list-runners";
import { revokeRunner } from "../../services/runners/revoke-runner";
import { CreateRegistrationTokenInput } from "../../services/runners/schemas";
import { jsonBody, route, Uuid, type RestApp, type RestContext } from "../shared";

const IdParams = z.object({ id: Uuid.openapi({ param: { name: "id", in: "path" } }) });
const tags = ["runners"];

/** `/api/v1/runners`: the workspace's self-hosted runners (Settings → Runners). */
export function registerRunnerRoutes(app: RestApp, { deps, actorFor }: RestContext): void {
  app.openapi(
    route({
      method: "post",
      path: "/api/v1/runners/registration-tokens",
      request: jsonBody(CreateRegistrationTokenInput),
      status: 201,
      description: "A one-time registration token for `weft-runner --token` (admins); `token` is shown this once",
      tags,
    }),
    async (c) => c.json(await createRegistrationToken(deps, { actor: await actorFor(c), input: c.req.valid("json") }), 201),
  );
  app.openapi(
    route({ method: "get", path: "/api/v1/runners", description: "`{ runners: [{ id, name, labels, online, version, currentStep, lastSeenAt, revokedAt }] }`", tags }),
    async (c) => c.json({ runners: await listRunners(deps, { actor: await actorFor(c) }) }, 200),
  );
  app.openapi(
    route({ method: "delete", path: "/api/v1/runners/{id}", request: { params: IdParams }, description: "Revoked (admins): its credential answers 401; its steps are re-queued", tags }),
    async (c) => c.json(await revokeRunner(deps, { actor: await actorFor(c), input: { runnerId: c.req.valid("param").id } }), 200),
  );
}
