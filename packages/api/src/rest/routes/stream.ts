import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { resumePoint, streamExecution } from "../../services/executions/stream-execution";
import { ErrorResponse, type Env, type RestApp, type RestContext } from "../shared";

/**
 * `GET /api/executions/{id}/stream` and `/api/v1/executions/{id}/stream`: the execution's events as
 * Server-Sent Events (DESIGN.md section 5). Caller: session cookie or `Authorization: Bearer <API key>`,
 * resolved by the app's caller middleware (installed on both paths); the execution must be in
 * one of the caller's workspaces, else 404 before any event byte.
 */
export function registerStreamRoutes(app: RestApp, context: RestContext): void {
  const { deps } = context;

  const handler = async (c: Context<Env>) => {
    const after = resumePoint(c.req.header("last-event-id"), c.req.query("lastEventIndex"));
    const body = await streamExecution(deps, {
      executionId: c.req.param("id") ?? "",
      after,
      authorize: (workspaceId) => context.actorFor(c, workspaceId),
      signal: c.req.raw.signal,
    });
    return new Response(body, {
      status: 200,
      headers: {
        "content-type": "text/event-stream",
        "cache-control": "no-cache",
        "x-accel-buffering": "no",
      },
    });
  };
  app.get("/api/executions/:id/stream", handler);
  app.get("/api/v1/executions/:id/stream", handler);

  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/api/v1/executions/{id}/stream",
    tags: ["executions"],
    summary: "The execution's events as Server-Sent Events (also at /api/executions/{id}/stream)",
    description:
      "`retry: 2000`, then `id: <index>` / `data: {\"index\", \"event\": {\"type\", ...}}` per event: the stored backlog, then the live tail. " +
      "Resume with the `Last-Event-ID` header or `?lastEventIndex=N` (events N+1...). A `: ping` comment every 15 s; " +
      "`data: [DONE]` and close after the terminal event.",
    request: {
      params: z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) }),
      query: z.object({ lastEventIndex: z.string().optional() }),
      headers: z.object({ "last-event-id": z.string().optional() }),
    },
    responses: {
      200: { description: "The event stream", content: { "text/event-stream": { schema: z.string() } } },
      400: { description: "Invalid resume point", content: { "application/json": { schema: ErrorResponse } } },
      401: { description: "Not signed in", content: { "application/json": { schema: ErrorResponse } } },
      404: { description: "Not found (also for other workspaces' executions)", content: { "application/json": { schema: ErrorResponse } } },
    },
  });
}
