import { decisions, flows, sql, users } from "@weft/db";

/** The columns of a decision as the API shows it (feedback folded into one object by `toDecisionView`). */
export const decisionColumns = {
  id: decisions.id,
  flowId: decisions.flowId,
  flowName: flows.name,
  flowVersionId: decisions.flowVersionId,
  executionId: decisions.executionId,
  nodeId: decisions.nodeId,
  iteration: decisions.iteration,
  kind: decisions.kind,
  isTest: decisions.isTest,
  input: decisions.input,
  output: decisions.output,
  route: decisions.route,
  model: decisions.model,
  latencyMs: decisions.latencyMs,
  tokensIn: decisions.tokensIn,
  tokensOut: decisions.tokensOut,
  costUsd: decisions.costUsd,
  feedback: decisions.feedback,
  feedbackCategories: decisions.feedbackCategories,
  correctedOutput: decisions.correctedOutput,
  feedbackComment: decisions.feedbackComment,
  feedbackBy: decisions.feedbackBy,
  feedbackByName: sql<string | null>`(select ${users.name} from ${users} where ${users.id} = ${decisions.feedbackBy})`,
  feedbackAt: decisions.feedbackAt,
  createdAt: decisions.createdAt,
};

type Row = Omit<DecisionView, "feedback" | "costUsd"> & {
  costUsd: string | null;
  feedback: DecisionFeedback["verdict"] | null;
  feedbackCategories: string[];
  correctedOutput: unknown;
  feedbackComment: string | null;
  feedbackBy: string | null;
  feedbackByName: string | null;
  feedbackAt: Date | null;
};

export type DecisionFeedback = {
  verdict: "correct" | "incorrect" | "partial";
  categories: string[];
  correctedOutput: unknown;
  comment: string | null;
  /** Who gave (or last edited) it: a user, or null for an API key. */
  by: { id: string; name: string | null } | null;
  at: Date | null;
};

export type DecisionView = {
  id: string;
  flowId: string | null;
  flowName: string | null;
  flowVersionId: string | null;
  executionId: string | null;
  nodeId: string;
  iteration: string;
  kind: "ai" | "router";
  isTest: boolean;
  input: unknown;
  output: unknown;
  route: string | null;
  model: string | null;
  latencyMs: number | null;
  tokensIn: number | null;
  tokensOut: number | null;
  /** USD; null = unknown price (or no model call). */
  costUsd: number | null;
  feedback: DecisionFeedback | null;
  createdAt: Date;
};

export function toDecisionView(row: Row): DecisionView {
  return {
    id: row.id,
    flowId: row.flowId,
    flowName: row.flowName,
    flowVersionId: row.flowVersionId,
    executionId: row.executionId,
    nodeId: row.nodeId,
    iteration: row.iteration,
    kind: row.kind,
    isTest: row.isTest,
    input: row.input,
    output: row.output,
    route: row.route,
    model: row.model,
    latencyMs: row.latencyMs,
    tokensIn: row.tokensIn,
    tokensOut: row.tokensOut,
    costUsd: row.costUsd == null ? null : Number(row.costUsd),
    feedback: row.feedback
      ? {
          verdict: row.feedback,
          categories: row.feedbackCategories,
          correctedOutput: row.correctedOutput ?? null,
          comment: row.feedbackComment,
          by: row.feedbackBy ? { id: row.feedbackBy, name: row.feedbackByName } : null,
          at: row.feedbackAt,
        }
      : null,
    createdAt: row.createdAt,
  };
}
