import { z } from "@hono/zod-openapi";
import { getBlockTest } from "../../services/block-tests/get-block-test";
import { listBlockTests } from "../../services/block-tests/list-block-tests";
import { replayBlockTest } from "../../services/block-tests/replay-block-test";
import { ListBlockTestsInput, ReplayBlockTestInput, StartBlockTestInput } from "../../services/block-tests/schemas";
import { startBlockTest } from "../../services/block-tests/start-block-test";
import { listBlockVersions } from "../../services/blocks/list-block-versions";
import { createBlock } from "../../services/blocks/create-block";
import { deleteBlock } from "../../services/blocks/delete-block";
import { getBlock } from "../../services/blocks/get-block";
import { listBlocks } from "../../services/blocks/list-blocks";
import { CreateBlockInput, ListBlocksInput, UpdateBlockInput } from "../../services/blocks/schemas";
import { updateBlock } from "../../services/blocks/update-block";
import { jsonBody, optionalJsonBody, route, triggerOf, Uuid, type RestApp, type RestContext } from "../shared";

const BlockParams = z.object({ id: Uuid.openapi({ param: { name: "id", in: "path" } }) });
const TestParams = z.object({ testRunId: Uuid.openapi({ param: { name: "testRunId", in: "path" } }) });
const tags = ["blocks"];

/** `/api/v1/blocks...`: the block library, on the same services as the `blocks` tRPC router. */
export function registerBlockRoutes(app: RestApp, { deps, actorFor }: RestContext): void {
  // The test routes come first: `/blocks/tests` must not be read as `/blocks/{id}`.
  app.openapi(
    route({
      method: "post",
      path: "/api/v1/blocks/test",
      request: jsonBody(StartBlockTestInput),
      status: 202,
      description: "Block test started (a `kind: test` execution): `{ testRunId, executionId, streamUrl }`",
      tags,
    }),
    async (c) => c.json(await startBlockTest(deps, { actor: await actorFor(c), input: c.req.valid("json"), triggerType: triggerOf(c) }), 202),
  );
  app.openapi(
    route({ method: "get", path: "/api/v1/blocks/tests", request: { query: ListBlockTestsInput }, description: "Test history of a saved block or a flow's node, newest first", tags }),
    async (c) => c.json({ tests: await listBlockTests(deps, { actor: await actorFor(c), input: c.req.valid("query") }) }, 200),
  );
  app.openapi(
    route({ method: "get", path: "/api/v1/blocks/tests/{testRunId}", request: { params: TestParams }, description: "One block test", tags }),
    async (c) => c.json({ test: await getBlockTest(deps, { actor: await actorFor(c), input: c.req.valid("param") }) }, 200),
  );
  app.openapi(
    route({
      method: "post",
      path: "/api/v1/blocks/tests/{testRunId}/replay",
      request: { params: TestParams, ...optionalJsonBody(ReplayBlockTestInput.omit({ testRunId: true })) },
      status: 202,
      description: "A new test with the same input, on the current config (or `{ config: \"original\" }`)",
      tags,
    }),
    async (c) => {
      const body = c.req.valid("json") as Record<string, unknown> | undefined;
      const input = { ...body, testRunId: c.req.valid("param").testRunId };
      return c.json(await replayBlockTest(deps, { actor: await actorFor(c), input, triggerType: triggerOf(c) }), 202);
    },
  );
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
  for (const method of ["put", "patch"] as const) {
    app.openapi(
      route({
        method,
        path: "/api/v1/blocks/{id}",
        request: { params: BlockParams, ...jsonBody(UpdateBlockInput.omit({ blockId: true })) },
        description: "Block saved as a new version (fields not sent are kept)",
        tags,
      }),
      async (c) => {
        const input = { ...c.req.valid("json"), blockId: c.req.valid("param").id };
        return c.json({ block: await updateBlock(deps, { actor: await actorFor(c), input }) }, 200);
      },
    );
  }
  app.openapi(
    route({ method: "get", path: "/api/v1/blocks/{id}/versions", request: { params: BlockParams }, description: "Every saved version of a block, newest first", tags }),
    async (c) => c.json({ versions: await listBlockVersions(deps, { actor: await actorFor(c), input: { blockId: c.req.valid("param").id } }) }, 200),
  );
  app.openapi(
    route({ method: "delete", path: "/api/v1/blocks/{id}", request: { params: BlockParams }, description: "Block deleted", tags }),
    async (c) => c.json(await deleteBlock(deps, { actor: await actorFor(c), input: { blockId: c.req.valid("param").id } }), 200),
  );
}
