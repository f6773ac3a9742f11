import { z } from "@hono/zod-openapi";
import { createVariable } from "../../services/variables/create-variable";
import { deleteVariable } from "../../services/variables/delete-variable";
import { listVariables } from "../../services/variables/list-variables";
import { CreateVariableInput, UpdateVariableInput } from "../../services/variables/schemas";
import { updateVariable } from "../../services/variables/update-variable";
import { jsonBody, route, type RestApp, type RestContext } from "../shared";

const NameParams = z.object({ name: z.string().openapi({ param: { name: "name", in: "path" } }) });
const tags = ["variables"];

/** `/api/v1/variables`: workspace variables for `{{ env.NAME }}` (secrets never returned). */
export function registerVariableRoutes(app: RestApp, { deps, actorFor }: RestContext): void {
  app.openapi(
    route({ method: "get", path: "/api/v1/variables", description: "`{ items: [{ name, secret, value (null for secrets), createdAt, updatedAt }] }`", tags }),
    async (c) => c.json({ items: await listVariables(deps, { actor: await actorFor(c) }) }, 200),
  );
  app.openapi(
    route({ method: "post", path: "/api/v1/variables", request: jsonBody(CreateVariableInput), status: 201, description: "Created (admins); a taken name is 409", tags }),
    async (c) => c.json({ variable: await createVariable(deps, { actor: await actorFor(c), input: c.req.valid("json") }) }, 201),
  );
  app.openapi(
    route({
      method: "put",
      path: "/api/v1/variables/{name}",
      request: { params: NameParams, ...jsonBody(UpdateVariableInput.omit({ name: true })) },
      description: "New value and/or secrecy (admins)",
      tags,
    }),
    async (c) => c.json({ variable: await updateVariable(deps, { actor: await actorFor(c), input: { ...c.req.valid("json"), name: c.req.valid("param").name } }) }, 200),
  );
  app.openapi(
    route({ method: "delete", path: "/api/v1/variables/{name}", request: { params: NameParams }, description: "Deleted (admins)", tags }),
    async (c) => c.json(await deleteVariable(deps, { actor: await actorFor(c), input: { name: c.req.valid("param").name } }), 200),
  );
}
