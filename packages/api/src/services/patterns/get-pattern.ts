import { and, eq, patterns, type DbOrTx } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { parseInput } from "../../lib/validation";
import { patternView, type PatternView } from "./pattern-view";
import { PatternIdInput } from "./schemas";

/** The workspace's pattern with this id, or 404. */
export async function findPattern(db: DbOrTx, workspaceId: string, patternId: string): Promise<PatternView> {
  const [row] = await db
    .select(patternView)
    .from(patterns)
    .where(and(eq(patterns.id, patternId), eq(patterns.workspaceId, workspaceId)));
  if (!row) throw notFound("Pattern");
  return row;
}

export async function getPattern(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<PatternView> {
  const { patternId } = parseInput(PatternIdInput, input);
  return findPattern(deps.db, actor.workspaceId, patternId);
}
