import { createTRPCRouter, workspaceProcedure } from "../init";
import { getStepLogs } from "../../services/steps/get-step-logs";
import { listSteps } from "../../services/steps/list-steps";
import { ListStepsInput, StepLogsInput } from "../../services/steps/schemas";

/** `steps` of a run: one row per node execution, and each step's logs. Viewers read. */
export const stepsRouter = createTRPCRouter({
  list: workspaceProcedure.input(ListStepsInput).query(({ ctx, input }) => listSteps(ctx.deps, { actor: ctx.actor, input })),
  logs: workspaceProcedure.input(StepLogsInput).query(({ ctx, input }) => getStepLogs(ctx.deps, { actor: ctx.actor, input })),
});
