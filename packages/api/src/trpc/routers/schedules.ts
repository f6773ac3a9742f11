import { createTRPCRouter, workspaceProcedure } from "../init";
import { createSchedule } from "../../services/schedules/create-schedule";
import { deleteSchedule } from "../../services/schedules/delete-schedule";
import { listScheduleSlots } from "../../services/schedules/list-schedule-slots";
import { listSchedules } from "../../services/schedules/list-schedules";
import { previewSchedule } from "../../services/schedules/preview-schedule";
import {
  CreateScheduleInput,
  ListScheduleSlotsInput,
  ListSchedulesInput,
  PreviewScheduleInput,
  ScheduleIdInput,
  UpdateScheduleInput,
} from "../../services/schedules/schemas";
import { updateSchedule } from "../../services/schedules/update-schedule";

/** Schedules of flows. Viewers read and preview; members create, update and delete (checked in the services). */
export const schedulesRouter = createTRPCRouter({
  list: workspaceProcedure.input(ListSchedulesInput).query(({ ctx, input }) => listSchedules(ctx.deps, { actor: ctx.actor, input })),
  create: workspaceProcedure.input(CreateScheduleInput).mutation(({ ctx, input }) => createSchedule(ctx.deps, { actor: ctx.actor, input })),
  update: workspaceProcedure.input(UpdateScheduleInput).mutation(({ ctx, input }) => updateSchedule(ctx.deps, { actor: ctx.actor, input })),
  delete: workspaceProcedure.input(ScheduleIdInput).mutation(({ ctx, input }) => deleteSchedule(ctx.deps, { actor: ctx.actor, input })),
  /** The next five slots of an expression (saved or not), for the editor. */
  preview: workspaceProcedure.input(PreviewScheduleInput).query(({ ctx, input }) => previewSchedule(ctx.deps, { input })),
  slots: workspaceProcedure.input(ListScheduleSlotsInput).query(({ ctx, input }) => listScheduleSlots(ctx.deps, { actor: ctx.actor, input })),
});
