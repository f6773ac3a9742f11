import { z } from "zod";

const range = {
  /** Start of the range (default: 7 days before `to`); applied at hour granularity (rounded down to the hour). */
  from: z.coerce.date().optional(),
  /** End of the range, exclusive (default: now). */
  to: z.coerce.date().optional(),
};

export const BlockAnalyticsInput = z.object({
  ...range,
  flowId: z.uuid().optional(),
  bucket: z.enum(["hour", "day"]).default("day"),
});
export type BlockAnalyticsInput = z.infer<typeof BlockAnalyticsInput>;

export const CostAnalyticsInput = z.object({
  ...range,
  flowId: z.uuid().optional(),
  groupBy: z.enum(["model", "flow", "node"]).default("model"),
});
export type CostAnalyticsInput = z.infer<typeof CostAnalyticsInput>;

export const FailureAnalyticsInput = z.object({
  ...range,
  flowId: z.uuid().optional(),
});
export type FailureAnalyticsInput = z.infer<typeof FailureAnalyticsInput>;
