import { asc, decisionCategories, eq } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";

export type DecisionCategoryView = { id: string; name: string; createdAt: Date };

/** The workspace's feedback categories, by name. */
export async function listDecisionCategories(deps: Deps, { actor }: { actor: Actor }): Promise<DecisionCategoryView[]> {
  return deps.db
    .select({ id: decisionCategories.id, name: decisionCategories.name, createdAt: decisionCategories.createdAt })
    .from(decisionCategories)
    .where(eq(decisionCategories.workspaceId, actor.workspaceId))
    .orderBy(asc(decisionCategories.name));
}
