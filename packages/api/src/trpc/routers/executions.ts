import { createTRPCRouter, workspaceProcedure } from "../init";
import { approveExecution } from "../../services/executions/approve-execution";
import { cancelExecution } from "../../services/executions/cancel-execution";
import { cancelExecutions } from "../../services/executions/cancel-executions";
import { deleteExecutions } from "../../services/executions/delete-executions";
import { getExecution } from "../../services/executions/get-execution";
import { listExecutionEvents } from "../../services/executions/list-execution-events";
import { listExecutions } from "../../services/executions/list-executions";
import { pauseExecution } from "../../services/executions/pause-execution";
import { rejectExecution } from "../../services/executions/reject-execution";
import { resumeExecution } from "../../services/executions/resume-execution";
import { resumeFromFailedNode } from "../../services/executions/resume-from-failed-node";
import { labelExecution } from "../../services/executions/label-execution";
import { rerunExecution } from "../../services/executions/rerun-execution";
import { retryExecution } from "../../services/executions/retry-execution";
import { retryExecutions } from "../../services/executions/retry-executions";
import {
  DecideApprovalInput,
  ExecutionIdInput,
  LabelExecutionInput,
  ExecutionIdsInput,
  ListExecutionEventsInput,
  ListExecutionsInput,
  RerunExecutionInput,
  StartExecutionInput,
} from "../../services/executions/schemas";
import { startExecution } from "../../services/executions/start-execution";

/** `executions` procedures. Roles are checked by the services: viewers read, members run and act. */
export const executionsRouter = createTRPCRouter({
  start: workspaceProcedure
    .input(StartExecutionInput)
    .mutation(({ ctx, input }) => startExecution(ctx.deps, { actor: ctx.actor, input, triggerType: "manual" })),
  list: workspaceProcedure.input(ListExecutionsInput).query(({ ctx, input }) => listExecutions(ctx.deps, { actor: ctx.actor, input })),
  byId: workspaceProcedure.input(ExecutionIdInput).query(({ ctx, input }) => getExecution(ctx.deps, { actor: ctx.actor, input })),
  events: workspaceProcedure
    .input(ListExecutionEventsInput)
    .query(({ ctx, input }) => listExecutionEvents(ctx.deps, { actor: ctx.actor, input })),
  cancel: workspaceProcedure.input(ExecutionIdInput).mutation(({ ctx, input }) => cancelExecution(ctx.deps, { actor: ctx.actor, input })),
  pause: workspaceProcedure.input(ExecutionIdInput).mutation(({ ctx, input }) => pauseExecution(ctx.deps, { actor: ctx.actor, input })),
  resume: workspaceProcedure.input(ExecutionIdInput).mutation(({ ctx, input }) => resumeExecution(ctx.deps, { actor: ctx.actor, input })),
  approve: workspaceProcedure
    .input(DecideApprovalInput)
    .mutation(({ ctx, input }) => approveExecution(ctx.deps, { actor: ctx.actor, input })),
  reject: workspaceProcedure
    .input(DecideApprovalInput)
    .mutation(({ ctx, input }) => rejectExecution(ctx.deps, { actor: ctx.actor, input })),
  retry: workspaceProcedure
    .input(ExecutionIdInput)
    .mutation(({ ctx, input }) => retryExecution(ctx.deps, { actor: ctx.actor, input, triggerType: "manual" })),
  rerun: workspaceProcedure
    .input(RerunExecutionInput)
    .mutation(({ ctx, input }) => rerunExecution(ctx.deps, { actor: ctx.actor, input, triggerType: "manual" })),
  label: workspaceProcedure.input(LabelExecutionInput).mutation(({ ctx, input }) => labelExecution(ctx.deps, { actor: ctx.actor, input })),
  resumeFromFailedNode: workspaceProcedure
    .input(ExecutionIdInput)
    .mutation(({ ctx, input }) => resumeFromFailedNode(ctx.deps, { actor: ctx.actor, input })),
  cancelMany: workspaceProcedure.input(ExecutionIdsInput).mutation(({ ctx, input }) => cancelExecutions(ctx.deps, { actor: ctx.actor, input })),
  retryMany: workspaceProcedure.input(ExecutionIdsInput).mutation(({ ctx, input }) => retryExecutions(ctx.deps, { actor: ctx.actor, input })),
  deleteMany: workspaceProcedure.input(ExecutionIdsInput).mutation(({ ctx, input }) => deleteExecutions(ctx.deps, { actor: ctx.actor, input })),
});
