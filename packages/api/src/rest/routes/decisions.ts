import { z } from "@hono/zod-openapi";
import { getBlockAnalytics } from "../../services/analytics/get-block-analytics";
import { getCostAnalytics } from "../../services/analytics/get-cost-analytics";
import { getFailureAnalytics } from "../../services/analytics/get-failure-analytics";
import { BlockAnalyticsInput, CostAnalyticsInput, FailureAnalyticsInput } from "../../services/analytics/schemas";
import { getDecision } from "../../services/decisions/get-decision";
import { giveFeedback } from "../../services/decisions/give-feedback";
import { listDecisionCategories } from "../../services/decisions/list-decision-categories";
import { listDecisions } from "../../services/decisions/list-decisions";
import { GiveFeedbackInput, ListDecisionsInput } from "../../services/decisions/schemas";
import { createPattern } from "../../services/patterns/create-pattern";
import { deletePattern } from "../../services/patterns/delete-pattern";
import { evaluatePattern } from "../../services/patterns/evaluate-pattern";
import { getPattern } from "../../services/patterns/get-pattern";
import { listPatterns } from "../../services/patterns/list-patterns";
import { CreatePatternInput, EvaluatePatternInput, SuggestPatternsInput, UpdatePatternInput } from "../../services/patterns/schemas";
import { suggestPatterns } from "../../services/patterns/suggest-patterns";
import { updatePattern } from "../../services/patterns/update-pattern";
import { jsonBody, route, Uuid, type RestApp, type RestContext } from "../shared";

const IdParams = z.object({ id: Uuid.openapi({ param: { name: "id", in: "path" } }) });

/** `/api/v1/decisions`, `/decision-categories`, `/patterns` and `/analytics/*`, on the same services as tRPC. */
export function registerDecisionRoutes(app: RestApp, { deps, actorFor }: RestContext): void {
  const tags = ["decisions"];
  app.openapi(
    route({ method: "get", path: "/api/v1/decisions", request: { query: ListDecisionsInput }, description: "Decisions, newest first: `{ items, nextCursor }`", tags }),
    async (c) => c.json(await listDecisions(deps, { actor: await actorFor(c), input: c.req.valid("query") }), 200),
  );
  app.openapi(
    route({ method: "get", path: "/api/v1/decisions/{id}", request: { params: IdParams }, description: "A decision", tags }),
    async (c) => c.json({ decision: await getDecision(deps, { actor: await actorFor(c), input: { decisionId: c.req.valid("param").id } }) }, 200),
  );
  app.openapi(
    route({
      method: "put",
      path: "/api/v1/decisions/{id}/feedback",
      request: { params: IdParams, ...jsonBody(GiveFeedbackInput.omit({ decisionId: true })) },
      description: "Feedback set (replaces earlier feedback; who and when are kept)",
      tags,
    }),
    async (c) => {
      const input = { ...c.req.valid("json"), decisionId: c.req.valid("param").id };
      return c.json({ decision: await giveFeedback(deps, { actor: await actorFor(c), input }) }, 200);
    },
  );
  app.openapi(
    route({ method: "get", path: "/api/v1/decision-categories", description: "The workspace's feedback categories", tags }),
    async (c) => c.json({ categories: await listDecisionCategories(deps, { actor: await actorFor(c) }) }, 200),
  );

  const patternTags = ["patterns"];
  app.openapi(
    route({ method: "get", path: "/api/v1/patterns", description: "Patterns, newest first", tags: patternTags }),
    async (c) => c.json({ patterns: await listPatterns(deps, { actor: await actorFor(c) }) }, 200),
  );
  app.openapi(
    route({ method: "post", path: "/api/v1/patterns", request: jsonBody(CreatePatternInput), status: 201, description: "Pattern saved", tags: patternTags }),
    async (c) => c.json({ pattern: await createPattern(deps, { actor: await actorFor(c), input: c.req.valid("json") }) }, 201),
  );
  // Before /patterns/{id}, so "suggestions" is not taken for an id.
  app.openapi(
    route({
      method: "get",
      path: "/api/v1/patterns/suggestions",
      request: { query: SuggestPatternsInput },
      description: "Proposed patterns: incorrect decisions grouped by category and input fingerprint",
      tags: patternTags,
    }),
    async (c) => c.json({ suggestions: await suggestPatterns(deps, { actor: await actorFor(c), input: c.req.valid("query") }) }, 200),
  );
  app.openapi(
    route({ method: "get", path: "/api/v1/patterns/{id}", request: { params: IdParams }, description: "A pattern", tags: patternTags }),
    async (c) => c.json({ pattern: await getPattern(deps, { actor: await actorFor(c), input: { patternId: c.req.valid("param").id } }) }, 200),
  );
  app.openapi(
    route({
      method: "put",
      path: "/api/v1/patterns/{id}",
      request: { params: IdParams, ...jsonBody(UpdatePatternInput.omit({ patternId: true })) },
      description: "Pattern updated (the fields given)",
      tags: patternTags,
    }),
    async (c) => {
      const input = { ...c.req.valid("json"), patternId: c.req.valid("param").id };
      return c.json({ pattern: await updatePattern(deps, { actor: await actorFor(c), input }) }, 200);
    },
  );
  app.openapi(
    route({ method: "delete", path: "/api/v1/patterns/{id}", request: { params: IdParams }, description: "Pattern deleted", tags: patternTags }),
    async (c) => c.json(await deletePattern(deps, { actor: await actorFor(c), input: { patternId: c.req.valid("param").id } }), 200),
  );
  app.openapi(
    route({
      method: "post",
      path: "/api/v1/patterns/{id}/evaluate",
      request: { params: IdParams, query: EvaluatePatternInput.omit({ patternId: true }) },
      description: "Replays the pattern over past decisions: matched, right, wrong",
      tags: patternTags,
    }),
    async (c) => {
      const input = { ...c.req.valid("query"), patternId: c.req.valid("param").id };
      return c.json({ evaluation: await evaluatePattern(deps, { actor: await actorFor(c), input }) }, 200);
    },
  );

  const analyticsTags = ["analytics"];
  app.openapi(
    route({ method: "get", path: "/api/v1/analytics/blocks", request: { query: BlockAnalyticsInput }, description: "Per node and bucket: runs, failures, latency, tokens, cost, accuracy", tags: analyticsTags }),
    async (c) => c.json(await getBlockAnalytics(deps, { actor: await actorFor(c), input: c.req.valid("query") }), 200),
  );
  app.openapi(
    route({ method: "get", path: "/api/v1/analytics/costs", request: { query: CostAnalyticsInput }, description: "Cost and tokens by model, flow or node", tags: analyticsTags }),
    async (c) => c.json(await getCostAnalytics(deps, { actor: await actorFor(c), input: c.req.valid("query") }), 200),
  );
  app.openapi(
    route({ method: "get", path: "/api/v1/analytics/failures", request: { query: FailureAnalyticsInput }, description: "Failed block executions grouped by fingerprint", tags: analyticsTags }),
    async (c) => c.json(await getFailureAnalytics(deps, { actor: await actorFor(c), input: c.req.valid("query") }), 200),
  );
}
