import { createTRPCRouter, workspaceProcedure } from "../init";
import { createPattern } from "../../services/patterns/create-pattern";
import { deletePattern } from "../../services/patterns/delete-pattern";
import { evaluatePattern } from "../../services/patterns/evaluate-pattern";
import { getPattern } from "../../services/patterns/get-pattern";
import { listPatterns } from "../../services/patterns/list-patterns";
import { CreatePatternInput, EvaluatePatternInput, PatternIdInput, SuggestPatternsInput, UpdatePatternInput } from "../../services/patterns/schemas";
import { suggestPatterns } from "../../services/patterns/suggest-patterns";
import { updatePattern } from "../../services/patterns/update-pattern";

/** Patterns over decisions. Viewers read; members and up write and evaluate (checked in the services). */
export const patternsRouter = createTRPCRouter({
  list: workspaceProcedure.query(({ ctx }) => listPatterns(ctx.deps, { actor: ctx.actor })),
  byId: workspaceProcedure.input(PatternIdInput).query(({ ctx, input }) => getPattern(ctx.deps, { actor: ctx.actor, input })),
  create: workspaceProcedure.input(CreatePatternInput).mutation(({ ctx, input }) => createPattern(ctx.deps, { actor: ctx.actor, input })),
  update: workspaceProcedure.input(UpdatePatternInput).mutation(({ ctx, input }) => updatePattern(ctx.deps, { actor: ctx.actor, input })),
  delete: workspaceProcedure.input(PatternIdInput).mutation(({ ctx, input }) => deletePattern(ctx.deps, { actor: ctx.actor, input })),
  evaluate: workspaceProcedure.input(EvaluatePatternInput).mutation(({ ctx, input }) => evaluatePattern(ctx.deps, { actor: ctx.actor, input })),
  suggestions: workspaceProcedure.input(SuggestPatternsInput).query(({ ctx, input }) => suggestPatterns(ctx.deps, { actor: ctx.actor, input })),
});
