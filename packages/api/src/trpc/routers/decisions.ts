import { createTRPCRouter, workspaceProcedure } from "../init";
import { getDecision } from "../../services/decisions/get-decision";
import { giveFeedback } from "../../services/decisions/give-feedback";
import { listDecisionCategories } from "../../services/decisions/list-decision-categories";
import { listDecisions } from "../../services/decisions/list-decisions";
import { DecisionIdInput, GiveFeedbackInput, ListDecisionsInput } from "../../services/decisions/schemas";

/** Decisions and their feedback. Viewers read; members and up give feedback (checked in the services). */
export const decisionsRouter = createTRPCRouter({
  list: workspaceProcedure.input(ListDecisionsInput).query(({ ctx, input }) => listDecisions(ctx.deps, { actor: ctx.actor, input })),
  byId: workspaceProcedure.input(DecisionIdInput).query(({ ctx, input }) => getDecision(ctx.deps, { actor: ctx.actor, input })),
  feedback: workspaceProcedure.input(GiveFeedbackInput).mutation(({ ctx, input }) => giveFeedback(ctx.deps, { actor: ctx.actor, input })),
  categories: workspaceProcedure.query(({ ctx }) => listDecisionCategories(ctx.deps, { actor: ctx.actor })),
});
