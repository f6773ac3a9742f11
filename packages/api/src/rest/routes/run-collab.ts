import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { Readable } from "node:stream";
import { downloadArtifact } from "../../services/artifacts/download-artifact";
import { deleteArtifact } from "../../services/artifacts/delete-artifact";
import { listArtifacts } from "../../services/artifacts/list-artifacts";
import { uploadArtifact, type ArtifactUpload } from "../../services/artifacts/upload-artifact";
import { createComment } from "../../services/comments/create-comment";
import { deleteComment } from "../../services/comments/delete-comment";
import { listComments } from "../../services/comments/list-comments";
import { CreateCommentInput, UpdateCommentInput } from "../../services/comments/schemas";
import { updateComment } from "../../services/comments/update-comment";
import { labelExecution } from "../../services/executions/label-execution";
import { rerunExecution } from "../../services/executions/rerun-execution";
import { LabelExecutionInput, RerunExecutionInput } from "../../services/executions/schemas";
import { getStepLogs } from "../../services/steps/get-step-logs";
import { listSteps } from "../../services/steps/list-steps";
import { StepLogsInput } from "../../services/steps/schemas";
import { firstFilePart, nodeBody } from "../multipart";
import { jsonBody, route, Uuid, type Env, type RestApp, type RestContext } from "../shared";

const tags = ["executions"];
const path = (name: string) => Uuid.openapi({ param: { name, in: "path" } });
const IdParams = z.object({ id: path("id") });
const CommentParams = z.object({ id: path("id"), commentId: path("commentId") });
const StepParams = z.object({ id: path("id"), nodeId: z.string().min(1).max(200).openapi({ param: { name: "nodeId", in: "path" } }) });

/** Uploads stream their own bodies: exempt from the JSON-only check and the JSON body limit. */
export const isArtifactUpload = (c: { req: { method: string; path: string } }) =>
  c.req.method === "POST" && /^\/api\/v1\/executions\/[^/]+\/artifacts\/?$/.test(c.req.path);

/** `filename="..."` (ASCII fallback) and `filename*=UTF-8''...` for any name. */
const attachment = (name: string) =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(name)}`;

const decodeHeader = (value: string | undefined) => {
  if (value === undefined) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/**
 * A run as a shared workspace: comments, artifacts, step logs, re-run from a step, name and tags
 * (`/api/v1/executions/{id}/...`). Every path is scoped to the caller's workspace (other ids 404);
 * viewers read, members write.
 */
export function registerRunCollabRoutes(app: RestApp, { deps, actorFor }: RestContext): void {
  // ---- name and tags, re-run ------------------------------------------------------------------
  app.openapi(
    route({
      method: "patch",
      path: "/api/v1/executions/{id}",
      request: { params: IdParams, ...jsonBody(LabelExecutionInput.omit({ executionId: true })) },
      description: "Renames the run and/or sets its tags: `{ id, name, tags }`",
      tags,
    }),
    async (c) => {
      const input = { ...c.req.valid("json"), executionId: c.req.valid("param").id };
      return c.json(await labelExecution(deps, { actor: await actorFor(c), input }), 200);
    },
  );
  app.openapi(
    route({
      method: "post",
      path: "/api/v1/executions/{id}/rerun",
      request: { params: IdParams, ...jsonBody(RerunExecutionInput.omit({ executionId: true })) },
      status: 202,
      description:
        "A NEW execution from `fromNodeId`: steps outside it and what follows it keep their stored outputs (reused, not run): `{ executionId, status, streamUrl, reusedNodeIds }`",
      tags,
    }),
    async (c) => {
      const actor = await actorFor(c);
      const input = { ...c.req.valid("json"), executionId: c.req.valid("param").id };
      const triggerType = c.get("caller").kind === "apiKey" ? "api" : "manual";
      return c.json(await rerunExecution(deps, { actor, input, triggerType }), 202);
    },
  );

  // ---- comments ---------------------------------------------------------------------------------
  app.openapi(
    route({
      method: "get",
      path: "/api/v1/executions/{id}/comments",
      request: { params: IdParams, query: z.object({ nodeId: z.string().max(200).optional() }) },
      description: "The run's comments, oldest first (`html` is the sanitised rendering of the markdown `body`): `{ comments }`",
      tags,
    }),
    async (c) => {
      const input = { ...c.req.valid("query"), executionId: c.req.valid("param").id };
      return c.json(await listComments(deps, { actor: await actorFor(c), input }), 200);
    },
  );
  app.openapi(
    route({
      method: "post",
      path: "/api/v1/executions/{id}/comments",
      request: { params: IdParams, ...jsonBody(CreateCommentInput.omit({ executionId: true })) },
      status: 201,
      description: "Comments on the run or on one step (`nodeId`, `iteration`); a `comment_added` event goes on its stream",
      tags,
    }),
    async (c) => {
      const input = { ...c.req.valid("json"), executionId: c.req.valid("param").id };
      return c.json(await createComment(deps, { actor: await actorFor(c), input }), 201);
    },
  );
  app.openapi(
    route({
      method: "patch",
      path: "/api/v1/executions/{id}/comments/{commentId}",
      request: { params: CommentParams, ...jsonBody(UpdateCommentInput.pick({ body: true })) },
      description: "Edits a comment (its author, or an admin)",
      tags,
    }),
    async (c) => {
      const { id, commentId } = c.req.valid("param");
      return c.json(await updateComment(deps, { actor: await actorFor(c), input: { ...c.req.valid("json"), executionId: id, commentId } }), 200);
    },
  );
  app.openapi(
    route({ method: "delete", path: "/api/v1/executions/{id}/comments/{commentId}", request: { params: CommentParams }, description: "Deletes a comment (its author, or an admin)", tags }),
    async (c) => {
      const { id, commentId } = c.req.valid("param");
      return c.json(await deleteComment(deps, { actor: await actorFor(c), input: { executionId: id, commentId } }), 200);
    },
  );

  // ---- steps ------------------------------------------------------------------------------------
  app.openapi(
    route({ method: "get", path: "/api/v1/executions/{id}/steps", request: { params: IdParams }, description: "One row per node execution: `{ steps }`", tags }),
    async (c) => c.json(await listSteps(deps, { actor: await actorFor(c), input: { executionId: c.req.valid("param").id } }), 200),
  );
  app.openapi(
    route({
      method: "get",
      path: "/api/v1/executions/{id}/steps/{nodeId}/logs",
      request: { params: StepParams, query: StepLogsInput.pick({ type: true, iteration: true }) },
      description: "A step's `input`, `output`, `events`, `console` lines or deterministic `summary`: `{ type, content, ... }`",
      tags,
    }),
    async (c) => {
      const { id, nodeId } = c.req.valid("param");
      return c.json(await getStepLogs(deps, { actor: await actorFor(c), input: { ...c.req.valid("query"), executionId: id, nodeId } }), 200);
    },
  );

  // ---- artifacts --------------------------------------------------------------------------------
  app.openapi(
    route({
      method: "get",
      path: "/api/v1/executions/{id}/artifacts",
      request: { params: IdParams, query: z.object({ nodeId: z.string().max(200).optional() }) },
      description: "The run's files: `{ artifacts }`",
      tags,
    }),
    async (c) => {
      const input = { ...c.req.valid("query"), executionId: c.req.valid("param").id };
      return c.json(await listArtifacts(deps, { actor: await actorFor(c), input }), 200);
    },
  );
  app.openapi(
    route({
      method: "post",
      path: "/api/v1/executions/{id}/artifacts",
      request: { params: IdParams, query: z.object({ nodeId: z.string().optional(), commentId: z.string().optional(), name: z.string().optional() }) },
      status: 201,
      description:
        "Uploads a file: `multipart/form-data` (first file part; fields `nodeId`, `commentId` before it) or the raw body with `x-filename` and its Content-Type. 413 past the size limit or quota, 415 for a type not allowed; nothing is stored then",
      tags,
    }),
    async (c) => {
      const actor = await actorFor(c);
      const executionId = c.req.valid("param").id;
      const query = c.req.valid("query");
      const type = c.req.header("content-type") ?? "";
      let upload: ArtifactUpload;
      let source: Readable;
      if (type.toLowerCase().startsWith("multipart/form-data")) {
        const part = await firstFilePart(c.req.raw);
        source = part.source;
        upload = {
          meta: { executionId, name: part.filename, ...query, ...pick(part.fields, ["nodeId", "commentId", "name"]) },
          contentType: part.mimeType,
          body: part.stream,
        };
      } else {
        source = nodeBody(c.req.raw);
        const length = c.req.header("content-length");
        upload = {
          meta: { executionId, name: decodeHeader(c.req.header("x-filename")), ...query },
          contentType: type || null,
          contentLength: length ? Number(length) : null,
          body: source,
        };
      }
      try {
        return c.json(await uploadArtifact(deps, { actor, upload }), 201);
      } finally {
        if (!source.readableEnded) source.destroy();
      }
    },
  );
  app.get("/api/v1/executions/:id/artifacts/:artifactId", async (c: Context<Env>) => {
    const input = { executionId: c.req.param("id"), artifactId: c.req.param("artifactId") };
    const { artifact, body } = await downloadArtifact(deps, { actor: await actorFor(c), input, ifNoneMatch: c.req.header("if-none-match") });
    const headers = new Headers({
      ETag: `"${artifact.sha256}"`,
      "Cache-Control": "private, no-cache",
      "X-Content-Type-Options": "nosniff",
      "Content-Disposition": attachment(artifact.name),
    });
    if (!body) return new Response(null, { status: 304, headers });
    headers.set("Content-Type", artifact.contentType);
    headers.set("Content-Length", String(artifact.sizeBytes));
    return new Response(Readable.toWeb(body) as unknown as ReadableStream, { status: 200, headers });
  });
  app.delete("/api/v1/executions/:id/artifacts/:artifactId", async (c: Context<Env>) => {
    const input = { executionId: c.req.param("id"), artifactId: c.req.param("artifactId") };
    return c.json(await deleteArtifact(deps, { actor: await actorFor(c), input }), 200);
  });
}

const pick = (fields: Record<string, string>, names: string[]) => Object.fromEntries(names.flatMap((n) => (fields[n] ? [[n, fields[n]]] : [])));
