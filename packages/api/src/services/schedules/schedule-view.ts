import { schedules } from "@weft/db";

/** A schedule as the API shows it (and as the scheduler reads a due one, with its workspace). */
export const scheduleView = {
  id: schedules.id,
  flowId: schedules.flowId,
  cron: schedules.cron,
  timezone: schedules.timezone,
  enabled: schedules.enabled,
  overlapPolicy: schedules.overlapPolicy,
  catchupPolicy: schedules.catchupPolicy,
  catchupWindowMs: schedules.catchupWindowMs,
  catchupMax: schedules.catchupMax,
  input: schedules.input,
  nextRunAt: schedules.nextRunAt,
  lastSlotAt: schedules.lastSlotAt,
  createdAt: schedules.createdAt,
  updatedAt: schedules.updatedAt,
};

export type ScheduleView = {
  id: string;
  flowId: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  overlapPolicy: "skip" | "queue_one" | "allow";
  catchupPolicy: "none" | "latest" | "all";
  catchupWindowMs: number;
  catchupMax: number;
  /** Extra run input (the run gets it plus `trigger`). */
  input: unknown;
  /** The next slot; null while disabled. */
  nextRunAt: Date | null;
  /** The newest slot that came (fired, queued, skipped or missed). */
  lastSlotAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};
