import { z } from "@hono/zod-openapi";
import { createSchedule } from "../../services/schedules/create-schedule";
import { deleteSchedule } from "../../services/schedules/delete-schedule";
import { listScheduleSlots } from "../../services/schedules/list-schedule-slots";
import { listSchedules } from "../../services/schedules/list-schedules";
import { previewSchedule } from "../../services/schedules/preview-schedule";
import { CreateScheduleInput, ListScheduleSlotsInput, PreviewScheduleInput, UpdateScheduleInput } from "../../services/schedules/schemas";
import { updateSchedule } from "../../services/schedules/update-schedule";
import { jsonBody, route, Uuid, type RestApp, type RestContext } from "../shared";

const FlowParams = z.object({ id: Uuid.openapi({ param: { name: "id", in: "path" } }) });
const ScheduleParams = z.object({
  id: Uuid.openapi({ param: { name: "id", in: "path" } }),
  scheduleId: Uuid.openapi({ param: { name: "scheduleId", in: "path" } }),
});
const tags = ["schedules"];

/** `/api/v1/flows/{id}/schedules...` and `/api/v1/schedules/preview`: the same services as the `schedules` tRPC router. */
export function registerScheduleRoutes(app: RestApp, { deps, actorFor }: RestContext): void {
  app.openapi(
    route({ method: "get", path: "/api/v1/flows/{id}/schedules", request: { params: FlowParams }, description: "The flow's schedules: `{ schedules }`", tags }),
    async (c) => c.json({ schedules: await listSchedules(deps, { actor: await actorFor(c), input: { flowId: c.req.valid("param").id } }) }, 200),
  );
  app.openapi(
    route({
      method: "post",
      path: "/api/v1/flows/{id}/schedules",
      request: { params: FlowParams, ...jsonBody(CreateScheduleInput.omit({ flowId: true })) },
      status: 201,
      description: "Schedule created: `{ schedule }` (400 naming `cron` or `timezone` when invalid)",
      tags,
    }),
    async (c) => {
      const input = { ...c.req.valid("json"), flowId: c.req.valid("param").id };
      return c.json({ schedule: await createSchedule(deps, { actor: await actorFor(c), input }) }, 201);
    },
  );
  app.openapi(
    route({
      method: "patch",
      path: "/api/v1/flows/{id}/schedules/{scheduleId}",
      request: { params: ScheduleParams, ...jsonBody(UpdateScheduleInput.omit({ flowId: true, scheduleId: true })) },
      description: "Schedule changed: `{ schedule }`",
      tags,
    }),
    async (c) => {
      const { id, scheduleId } = c.req.valid("param");
      const input = { ...c.req.valid("json"), flowId: id, scheduleId };
      return c.json({ schedule: await updateSchedule(deps, { actor: await actorFor(c), input }) }, 200);
    },
  );
  app.openapi(
    route({ method: "delete", path: "/api/v1/flows/{id}/schedules/{scheduleId}", request: { params: ScheduleParams }, description: "Schedule deleted (a run it still holds queued is cancelled)", tags }),
    async (c) => {
      const { id, scheduleId } = c.req.valid("param");
      return c.json(await deleteSchedule(deps, { actor: await actorFor(c), input: { flowId: id, scheduleId } }), 200);
    },
  );
  app.openapi(
    route({
      method: "get",
      path: "/api/v1/flows/{id}/schedules/{scheduleId}/slots",
      request: { params: ScheduleParams, query: ListScheduleSlotsInput.omit({ flowId: true, scheduleId: true }) },
      description: "Slot history, newest first: `{ items, nextCursor }`",
      tags,
    }),
    async (c) => {
      const { id, scheduleId } = c.req.valid("param");
      const input = { ...c.req.valid("query"), flowId: id, scheduleId };
      return c.json(await listScheduleSlots(deps, { actor: await actorFor(c), input }), 200);
    },
  );
  app.openapi(
    route({
      method: "get",
      path: "/api/v1/schedules/preview",
      request: { query: PreviewScheduleInput },
      description: "The next five slots of `cron` in `timezone`: `{ runs }`",
      tags,
    }),
    async (c) => {
      await actorFor(c);
      return c.json(previewSchedule(deps, { input: c.req.valid("query") }), 200);
    },
  );
}
