import { and, arrayContains, decisions, desc, eq, flows, gte, isNull, lt } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { afterCursor, encodeCursor, exactTime } from "../../lib/cursor";
import { parseInput } from "../../lib/validation";
import { decisionColumns, toDecisionView, type DecisionView } from "./decision-view";
import { ListDecisionsInput } from "./schemas";

/** The workspace's decisions, newest first, filtered by flow, node, feedback, category and time. */
export async function listDecisions(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ items: DecisionView[]; nextCursor: string | null }> {
  const { flowId, nodeId, executionId, feedback, category, from, to, kind, cursor, limit } = parseInput(ListDecisionsInput, input ?? {});
  const d = decisions;
  const rows = await deps.db
    .select({ ...decisionColumns, createdAtExact: exactTime(d.createdAt) })
    .from(d)
    .leftJoin(flows, and(eq(flows.id, d.flowId), eq(flows.workspaceId, actor.workspaceId)))
    .where(
      and(
        eq(d.workspaceId, actor.workspaceId),
        eq(d.isTest, kind === "test"),
        flowId ? eq(d.flowId, flowId) : undefined,
        nodeId ? eq(d.nodeId, nodeId) : undefined,
        executionId ? eq(d.executionId, executionId) : undefined,
        feedback === "none" ? isNull(d.feedback) : feedback ? eq(d.feedback, feedback) : undefined,
        category ? arrayContains(d.feedbackCategories, [category]) : undefined,
        from ? gte(d.createdAt, from) : undefined,
        to ? lt(d.createdAt, to) : undefined,
        cursor ? afterCursor(d.createdAt, d.id, cursor) : undefined,
      ),
    )
    .orderBy(desc(d.createdAt), desc(d.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(({ createdAtExact: _exact, ...row }) => toDecisionView(row)),
    nextCursor: rows.length > limit && last ? encodeCursor(last.createdAtExact, last.id) : null,
  };
}
