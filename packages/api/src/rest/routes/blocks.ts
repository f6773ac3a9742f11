import { z } from "@hono/zod-openapi";
import { createBlock } from "../../services/blocks/create-block";
import { deleteBlock } from "../../services/blocks/delete-block";
import { getBlock } from "../../services/blocks/get-block";
import { listBlocks } from "../../services/blocks/list-blocks";
import { CreateBlockInput, ListBlocksInput, UpdateBlockInput } from "../../services/blocks/schemas";
import { updateBlock } from "../../services/blocks/update-block";
import { jsonBody, route, Uuid, type RestApp, type RestContext } from "../shared";

const BlockParams = z.object({ id: Uuid.openapi({ param: { name: "id", in: "path" } }) });
const tags = ["blocks"];

/** `/api/v1/blocks...`: the block library, on the same services as the `blocks` tRPC router. */
export function registerBlockRoutes(app: RestApp, { deps, actorFor }: RestContext): void {
  app.openapi(
    route({ method: "get", path: "/api/v1/blocks", request: { query: ListBlocksInput }, description: "Saved blocks, newest first", tags }),
    async (c) => c.json({ blocks: await listBlocks(deps, { actor: await actorFor(c), input: c.req.valid("query") }) }, 200),
  );
  app.openapi(
    route({ method: "post", path: "/api/v1/blocks", request: jsonBody(CreateBlockInput), status: 201, description: "Block saved (config checked against its type)", tags }),
    async (c) => c.json({ block: await createBlock(deps, { actor: await actorFor(c), input: c.req.valid("json") }) }, 201),
  );
  app.openapi(
    route({ method: "get", path: "/api/v1/blocks/{id}", request: { params: BlockParams }, description: "A saved block", tags }),
    async (c) => c.json({ block: await getBlock(deps, { actor: await actorFor(c), input: { blockId: c.req.valid("param").id } }) }, 200),
  );
  app.openapi(
    route({
      method: "patch",
      path: "/api/v1/blocks/{id}",
      request: { params: BlockParams, ...jsonBody(UpdateBlockInput.omit({ blockId: true })) },
      description: "Block updated",
      tags,
    }),
    async (c) => {
      const input = { ...c.req.valid("json"), blockId: c.req.valid("param").id };
      return c.json({ block: await updateBlock(deps, { actor: await actorFor(c), input }) }, 200);
    },
  );
  app.openapi(
    route({ method: "delete", path: "/api/v1/blocks/{id}", request: { params: BlockParams }, description: "Block deleted", tags }),
    async (c) => c.json(await deleteBlock(deps, { actor: await actorFor(c), input: { blockId: c.req.valid("param").id } }), 200),
  );
}
