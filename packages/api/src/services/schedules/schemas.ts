import { z } from "zod";
import { cronProblem, timezoneProblem } from "./cron";

/** Limits of one schedule. */
export const SCHEDULE_LIMITS = {
  perFlow: 20,
  /** `catchup_window_ms` is an int4 column: at most 7 days. */
  maxCatchupWindowMs: 7 * 24 * 3600 * 1000,
  maxCatchupMax: 100,
} as const;

export const CronExpression = z
  .string()
  .trim()
  .min(1, "Enter a cron expression")
  .max(200)
  .superRefine((value, ctx) => {
    const problem = cronProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: `Invalid cron expression: ${problem}` });
  });

export const TimeZone = z
  .string()
  .trim()
  .min(1, "Enter a time zone")
  .max(100)
  .superRefine((value, ctx) => {
    const problem = timezoneProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const OverlapPolicy = z.enum(["skip", "queue_one", "allow"]);
export const CatchupPolicy = z.enum(["none", "latest", "all"]);
/** Extra run input; the run's input is this object plus `trigger`. */
const ScheduleRunInput = z.record(z.string(), z.unknown());

const settings = {
  cron: CronExpression,
  timezone: TimeZone,
  enabled: z.boolean(),
  overlapPolicy: OverlapPolicy,
  catchupPolicy: CatchupPolicy,
  catchupWindowMs: z.number().int().min(0).max(SCHEDULE_LIMITS.maxCatchupWindowMs),
  catchupMax: z.number().int().min(1).max(SCHEDULE_LIMITS.maxCatchupMax),
  input: ScheduleRunInput.nullable(),
};

export const ListSchedulesInput = z.object({ flowId: z.uuid() });
export type ListSchedulesInput = z.infer<typeof ListSchedulesInput>;

export const CreateScheduleInput = z.object({
  flowId: z.uuid(),
  cron: settings.cron,
  timezone: settings.timezone.default("UTC"),
  enabled: settings.enabled.default(true),
  overlapPolicy: settings.overlapPolicy.default("skip"),
  catchupPolicy: settings.catchupPolicy.default("none"),
  catchupWindowMs: settings.catchupWindowMs.default(3_600_000),
  catchupMax: settings.catchupMax.default(10),
  input: settings.input.optional(),
});
export type CreateScheduleInput = z.infer<typeof CreateScheduleInput>;

/** A schedule, optionally under the flow the URL names (REST): a schedule of another flow is a 404. */
export const ScheduleIdInput = z.object({ scheduleId: z.uuid(), flowId: z.uuid().optional() });
export type ScheduleIdInput = z.infer<typeof ScheduleIdInput>;

export const UpdateScheduleInput = ScheduleIdInput.extend({
  cron: settings.cron.optional(),
  timezone: settings.timezone.optional(),
  enabled: settings.enabled.optional(),
  overlapPolicy: settings.overlapPolicy.optional(),
  catchupPolicy: settings.catchupPolicy.optional(),
  catchupWindowMs: settings.catchupWindowMs.optional(),
  catchupMax: settings.catchupMax.optional(),
  input: settings.input.optional(),
});
export type UpdateScheduleInput = z.infer<typeof UpdateScheduleInput>;

export const PreviewScheduleInput = z.object({
  cron: settings.cron,
  timezone: settings.timezone.default("UTC"),
  /** Slots after this instant (default: now). */
  after: z.coerce.date().optional(),
});
export type PreviewScheduleInput = z.infer<typeof PreviewScheduleInput>;

export const ListScheduleSlotsInput = ScheduleIdInput.extend({
  /** `nextCursor` of the previous page (slots before it). */
  cursor: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type ListScheduleSlotsInput = z.infer<typeof ListScheduleSlotsInput>;
