import { createTRPCRouter, workspaceProcedure } from "../init";
import { getBlockAnalytics } from "../../services/analytics/get-block-analytics";
import { getCostAnalytics } from "../../services/analytics/get-cost-analytics";
import { getFailureAnalytics } from "../../services/analytics/get-failure-analytics";
import { BlockAnalyticsInput, CostAnalyticsInput, FailureAnalyticsInput } from "../../services/analytics/schemas";

/** Analytics from the exact rollups; every member of the workspace reads them. */
export const analyticsRouter = createTRPCRouter({
  blocks: workspaceProcedure.input(BlockAnalyticsInput).query(({ ctx, input }) => getBlockAnalytics(ctx.deps, { actor: ctx.actor, input })),
  costs: workspaceProcedure.input(CostAnalyticsInput).query(({ ctx, input }) => getCostAnalytics(ctx.deps, { actor: ctx.actor, input })),
  failures: workspaceProcedure.input(FailureAnalyticsInput).query(({ ctx, input }) => getFailureAnalytics(ctx.deps, { actor: ctx.actor, input })),
});
