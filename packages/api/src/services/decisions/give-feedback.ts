import { and, decisionCategories, decisions, eq, sql } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { getDecision } from "./get-decision";
import type { DecisionView } from "./decision-view";
import { GiveFeedbackInput } from "./schemas";

/**
 * Sets (or replaces) the feedback on a decision: verdict, categories (created in the workspace on first
 * use), corrected output and comment, with who gave it and when. Members and up.
 */
export async function giveFeedback(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<DecisionView> {
  requireRole(actor.role, "member");
  const { decisionId, verdict, categories, correctedOutput, comment } = parseInput(GiveFeedbackInput, input);
  const unique = [...new Set(categories)];
  await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(decisions)
      .set({
        feedback: verdict,
        feedbackCategories: unique,
        correctedOutput: correctedOutput === undefined ? null : (correctedOutput as object),
        feedbackComment: comment ?? null,
        feedbackBy: actor.userId,
        feedbackAt: sql`now()`,
      })
      .where(and(eq(decisions.id, decisionId), eq(decisions.workspaceId, actor.workspaceId)))
      .returning({ id: decisions.id });
    if (!row) throw notFound("Decision");
    if (unique.length > 0) {
      await tx
        .insert(decisionCategories)
        .values(unique.map((name) => ({ workspaceId: actor.workspaceId, name, createdBy: actor.userId })))
        .onConflictDoNothing();
    }
    await audit(tx, actor, "decision.feedback", { type: "decision", id: decisionId }, { verdict, categories: unique });
  });
  return getDecision(deps, { actor, input: { decisionId } });
}
