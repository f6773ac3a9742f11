import { desc, eq, patterns } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { patternView, type PatternView } from "./pattern-view";

/** The workspace's patterns, newest first. */
export async function listPatterns(deps: Deps, { actor }: { actor: Actor }): Promise<PatternView[]> {
  return deps.db.select(patternView).from(patterns).where(eq(patterns.workspaceId, actor.workspaceId)).orderBy(desc(patterns.createdAt), desc(patterns.id));
}
