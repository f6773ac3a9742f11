import { z } from "@hono/zod-openapi";
import type { Actor, Deps } from "../../lib/context";
import { approveExecution } from "../../services/executions/approve-execution";
import { cancelExecution } from "../../services/executions/cancel-execution";
import { cancelExecutions } from "../../services/executions/cancel-executions";
import { deleteExecutions } from "../../services/executions/delete-executions";
import type { CommandResult } from "../../services/executions/execution-command";
import { getExecution } from "../../services/executions/get-execution";
import { listExecutionEvents } from "../../services/executions/list-execution-events";
import { listExecutions } from "../../services/executions/list-executions";
import { pauseExecution } from "../../services/executions/pause-execution";
import { rejectExecution } from "../../services/executions/reject-execution";
import { resumeExecution } from "../../services/executions/resume-execution";
import { resumeFromFailedNode } from "../../services/executions/resume-from-failed-node";
import { retryExecution } from "../../services/executions/retry-execution";
import { retryExecutions } from "../../services/executions/retry-executions";
import { DecideApprovalInput, ExecutionIdsInput, ListExecutionEventsInput, ListExecutionsInput, StartExecutionInput } from "../../services/executions/schemas";
import { startExecution } from "../../services/executions/start-execution";
import { jsonBody, optionalJsonBody, route, triggerOf, Uuid, type RestApp, type RestContext } from "../shared";

/** `POST /api/v1/executions/bulk`: one action on several executions of the workspace. */
const BulkInput = ExecutionIdsInput.extend({ action: z.enum(["cancel", "retry", "delete"]) });
const bulkActions = { cancel: cancelExecutions, retry: retryExecutions, delete: deleteExecutions } as const;

const IdParams = z.object({ id: Uuid.openapi({ param: { name: "id", in: "path" } }) });

type Action = (deps: Deps, args: { actor: Actor; input: unknown }) => Promise<CommandResult>;

/** `/api/v1/executions...` and `/api/v1/flows/{id}/execute`. */
export function registerExecutionRoutes(app: RestApp, { deps, actorFor }: RestContext): void {
  app.openapi(
    route({
      method: "post",
      path: "/api/v1/flows/{id}/execute",
      request: { params: IdParams, ...optionalJsonBody(StartExecutionInput.omit({ flowId: true })) },
      status: 202,
      description: "Run started: `{ executionId, status, streamUrl }`; follow it on the stream or poll the execution",
      tags: ["executions"],
    }),
    async (c) => {
      const actor = await actorFor(c);
      const body = c.req.valid("json") as Record<string, unknown> | undefined;
      const input = { ...body, flowId: c.req.valid("param").id };
      return c.json(await startExecution(deps, { actor, input, triggerType: triggerOf(c) }), 202);
    },
  );

  app.openapi(
    route({
      method: "get",
      path: "/api/v1/executions",
      request: { query: ListExecutionsInput },
      description: "Executions, newest first: `{ items, nextCursor }`",
      tags: ["executions"],
    }),
    async (c) => c.json(await listExecutions(deps, { actor: await actorFor(c), input: c.req.valid("query") }), 200),
  );
  app.openapi(
    route({
      method: "post",
      path: "/api/v1/executions/bulk",
      request: jsonBody(BulkInput),
      description:
        "One action on up to 100 executions: `cancel` and `retry` answer `{ results: [{ executionId, ok, status, error?, retryExecutionId? }] }`; " +
        "`delete` (ended runs only, all or nothing; 409 naming the runs still going) answers `{ deleted }`. 404 when any id is not this workspace's.",
      tags: ["executions"],
    }),
    async (c) => {
      const { action, executionIds } = c.req.valid("json");
      return c.json(await bulkActions[action](deps, { actor: await actorFor(c), input: { executionIds } }), 200);
    },
  );
  app.openapi(
    route({ method: "delete", path: "/api/v1/executions/{id}", request: { params: IdParams }, description: "An ended execution deleted with its steps and events: `{ deleted }` (409 while it runs)", tags: ["executions"] }),
    async (c) => c.json(await deleteExecutions(deps, { actor: await actorFor(c), input: { executionIds: [c.req.valid("param").id] } }), 200),
  );
  app.openapi(
    route({ method: "get", path: "/api/v1/executions/{id}", request: { params: IdParams }, description: "An execution with its block executions and metrics", tags: ["executions"] }),
    async (c) => c.json(await getExecution(deps, { actor: await actorFor(c), input: { executionId: c.req.valid("param").id } }), 200),
  );
  app.openapi(
    route({
      method: "get",
      path: "/api/v1/executions/{id}/events",
      request: { params: IdParams, query: ListExecutionEventsInput.omit({ executionId: true }) },
      description: "A page of the event log: `{ events: [{ index, type, data, createdAt }], nextIndex }`",
      tags: ["executions"],
    }),
    async (c) => {
      const input = { ...c.req.valid("query"), executionId: c.req.valid("param").id };
      return c.json(await listExecutionEvents(deps, { actor: await actorFor(c), input }), 200);
    },
  );

  const actions: Array<[string, string, Action]> = [
    ["cancel", "Cancelled (a running execution stops within a second)", cancelExecution],
    ["pause", "Pause requested (the running execution pauses within a second)", pauseExecution],
    ["resume", "Resumed", resumeExecution],
    ["resume-from-failed-node", "A failed execution continues from its failed node with the flow's current draft", resumeFromFailedNode],
  ];
  for (const [name, description, action] of actions) {
    app.openapi(
      route({ method: "post", path: `/api/v1/executions/{id}/${name}`, request: { params: IdParams }, description, tags: ["executions"] }),
      async (c) => c.json(await action(deps, { actor: await actorFor(c), input: { executionId: c.req.valid("param").id } }), 200),
    );
  }
  const decisions: Array<[string, string, Action]> = [
    ["approve", "The waiting approval block is approved; the run continues", approveExecution],
    ["reject", "The waiting approval block is rejected; the run continues", rejectExecution],
  ];
  for (const [name, description, action] of decisions) {
    app.openapi(
      route({
        method: "post",
        path: `/api/v1/executions/{id}/${name}`,
        request: { params: IdParams, ...optionalJsonBody(DecideApprovalInput.omit({ executionId: true })) },
        description,
        tags: ["executions"],
      }),
      async (c) => {
        const body = c.req.valid("json") as Record<string, unknown> | undefined;
        const input = { ...body, executionId: c.req.valid("param").id };
        return c.json(await action(deps, { actor: await actorFor(c), input }), 200);
      },
    );
  }
  app.openapi(
    route({
      method: "post",
      path: "/api/v1/executions/{id}/retry",
      request: { params: IdParams },
      status: 202,
      description: "A NEW execution with the same input and pinned graph: `{ executionId, status, streamUrl }`",
      tags: ["executions"],
    }),
    async (c) => {
      const actor = await actorFor(c);
      return c.json(await retryExecution(deps, { actor, input: { executionId: c.req.valid("param").id }, triggerType: triggerOf(c) }), 202);
    },
  );
}
