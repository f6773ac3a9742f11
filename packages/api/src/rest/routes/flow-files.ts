import { z } from "@hono/zod-openapi";
import { FLOW_FILE_SCHEMA_PATH, flowFileJsonSchema } from "@weft/flow";
import { AppError } from "../../lib/errors";
import { exportFlow } from "../../services/flows/export-flow";
import { importFlow } from "../../services/flows/import-flow";
import { route, Uuid, type RestApp, type RestContext } from "../shared";

export const FLOW_IMPORT_PATH = "/api/v1/flows/import";
const FlowParams = z.object({ id: Uuid.openapi({ param: { name: "id", in: "path" } }) });
const tags = ["flows"];

const YAML_TYPES = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];

function formatOf(contentType: string | undefined): "yaml" | "json" {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json") return "json";
  if (YAML_TYPES.includes(type)) return "yaml";
  throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the flow file as application/yaml or application/json");
}

/** Flows as files: `weft/v1` export and import, and the file format's JSON Schema. */
export function registerFlowFileRoutes(app: RestApp, { deps, actorFor }: RestContext): void {
  app.openapi(
    route({ method: "get", path: FLOW_FILE_SCHEMA_PATH, description: "JSON Schema of weft/v1 flow files (for editor completion)", tags }),
    (c) => c.json(flowFileJsonSchema(), 200),
  );
  app.openapi(
    route({
      method: "get",
      path: "/api/v1/flows/{id}/export",
      request: {
        params: FlowParams,
        query: z.object({ format: z.enum(["yaml", "json"]).optional(), version: z.string().optional() }),
      },
      description: "The flow as a weft/v1 file (YAML or JSON): the draft, or `version`; webhook settings without secrets, schedules",
      tags,
    }),
    async (c) => {
      const { format, version } = c.req.valid("query");
      const file = await exportFlow(deps, { actor: await actorFor(c), input: { flowId: c.req.valid("param").id, format, version } });
      c.header("content-type", file.contentType);
      c.header("content-disposition", `attachment; filename="${file.filename}"`);
      return c.body(file.body, 200) as never;
    },
  );
  app.openapi(
    route({
      method: "post",
      path: FLOW_IMPORT_PATH,
      request: { query: z.object({ flowId: Uuid.optional(), version: z.string().optional() }) },
      status: 201,
      description:
        "Body: a weft/v1 file, or a step or stage workflow (content-type application/yaml or application/json). 201 `{ flow, kind }` created; with `?flowId=&version=` 200 updated (stale version: 409). 400 lists `problems` with line/column, path, node id and field.",
      tags,
    }),
    async (c) => {
      const format = formatOf(c.req.header("content-type"));
      const { flowId, version } = c.req.valid("query");
      const content = await c.req.text();
      const result = await importFlow(deps, { actor: await actorFor(c), input: { content, format, flowId, version } });
      return c.json({ flow: result.flow, kind: result.kind }, result.created ? 201 : 200);
    },
  );
}
