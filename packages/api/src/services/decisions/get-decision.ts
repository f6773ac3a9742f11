import { and, decisions, eq, flows } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { parseInput } from "../../lib/validation";
import { decisionColumns, toDecisionView, type DecisionView } from "./decision-view";
import { DecisionIdInput } from "./schemas";

/** One decision of the workspace (another workspace's id: 404). */
export async function getDecision(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<DecisionView> {
  const { decisionId } = parseInput(DecisionIdInput, input);
  const [row] = await deps.db
    .select(decisionColumns)
    .from(decisions)
    .leftJoin(flows, and(eq(flows.id, decisions.flowId), eq(flows.workspaceId, actor.workspaceId)))
    .where(and(eq(decisions.id, decisionId), eq(decisions.workspaceId, actor.workspaceId)));
  if (!row) throw notFound("Decision");
  return toDecisionView(row);
}
