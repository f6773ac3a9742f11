import { z } from "@hono/zod-openapi";
import { createFlow } from "../../services/flows/create-flow";
import { deleteFlow } from "../../services/flows/delete-flow";
import { duplicateFlow } from "../../services/flows/duplicate-flow";
import { getFlow } from "../../services/flows/get-flow";
import { listFlowVersions } from "../../services/flows/list-flow-versions";
import { listFlows } from "../../services/flows/list-flows";
import { publishFlow } from "../../services/flows/publish-flow";
import { CreateFlowInput, UpdateFlowInput } from "../../services/flows/schemas";
import { updateFlow } from "../../services/flows/update-flow";
import { validateStoredFlow } from "../../services/flows/validate-stored-flow";
import { jsonBody, route, Uuid, type RestApp, type RestContext } from "../shared";

const FlowParams = z.object({ id: Uuid.openapi({ param: { name: "id", in: "path" } }) });
const ListQuery = z.object({
  search: z.string().optional(),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
const tags = ["flows"];

/** `/api/v1/flows...`: the same services as the `flows` tRPC router. */
export function registerFlowRoutes(app: RestApp, { deps, actorFor }: RestContext): void {
  app.openapi(
    route({ method: "get", path: "/api/v1/flows", request: { query: ListQuery }, description: "Flows, newest change first: `{ items, nextCursor }`", tags }),
    async (c) => c.json(await listFlows(deps, { actor: await actorFor(c), input: c.req.valid("query") }), 200),
  );
  app.openapi(
    route({ method: "post", path: "/api/v1/flows", request: jsonBody(CreateFlowInput), status: 201, description: "Draft created at version 1", tags }),
    async (c) => c.json({ flow: await createFlow(deps, { actor: await actorFor(c), input: c.req.valid("json") }) }, 201),
  );
  app.openapi(
    route({ method: "get", path: "/api/v1/flows/{id}", request: { params: FlowParams }, description: "A flow with its graph and version", tags }),
    async (c) => c.json({ flow: await getFlow(deps, { actor: await actorFor(c), input: { flowId: c.req.valid("param").id } }) }, 200),
  );
  app.openapi(
    route({
      method: "put",
      path: "/api/v1/flows/{id}",
      request: { params: FlowParams, ...jsonBody(UpdateFlowInput.omit({ flowId: true })) },
      description: "Saved; `version` must be the one last read, else 409 naming the current version",
      tags,
    }),
    async (c) => {
      const input = { ...c.req.valid("json"), flowId: c.req.valid("param").id };
      return c.json({ flow: await updateFlow(deps, { actor: await actorFor(c), input }) }, 200);
    },
  );
  app.openapi(
    route({ method: "delete", path: "/api/v1/flows/{id}", request: { params: FlowParams }, description: "Flow deleted", tags }),
    async (c) => c.json(await deleteFlow(deps, { actor: await actorFor(c), input: { flowId: c.req.valid("param").id } }), 200),
  );
  app.openapi(
    route({ method: "post", path: "/api/v1/flows/{id}/validate", request: { params: FlowParams }, description: "`{ ok, problems }` for the stored graph", tags }),
    async (c) => c.json(await validateStoredFlow(deps, { actor: await actorFor(c), input: { flowId: c.req.valid("param").id } }), 200),
  );
  app.openapi(
    route({
      method: "post",
      path: "/api/v1/flows/{id}/publish",
      request: { params: FlowParams },
      status: 201,
      description: "Published as a new immutable version (400 listing the problems of an invalid flow)",
      tags,
    }),
    async (c) => c.json({ flowVersion: await publishFlow(deps, { actor: await actorFor(c), input: { flowId: c.req.valid("param").id } }) }, 201),
  );
  app.openapi(
    route({ method: "get", path: "/api/v1/flows/{id}/versions", request: { params: FlowParams }, description: "Published versions, newest first", tags }),
    async (c) => c.json({ versions: await listFlowVersions(deps, { actor: await actorFor(c), input: { flowId: c.req.valid("param").id } }) }, 200),
  );
  app.openapi(
    route({ method: "post", path: "/api/v1/flows/{id}/duplicate", request: { params: FlowParams }, status: 201, description: "A copy, as a new unpublished draft", tags }),
    async (c) => c.json({ flow: await duplicateFlow(deps, { actor: await actorFor(c), input: { flowId: c.req.valid("param").id } }) }, 201),
  );
}
