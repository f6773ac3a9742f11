import { and, eq, patterns } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { checkPatternReferences } from "./check-references";
import { checkWhen } from "./evaluate-when";
import { patternView, type PatternView } from "./pattern-view";
import { UpdatePatternInput } from "./schemas";

/** Replaces the given fields of a pattern (members and up). */
export async function updatePattern(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<PatternView> {
  requireRole(actor.role, "member");
  const { patternId, ...fields } = parseInput(UpdatePatternInput, input);
  if (fields.when !== undefined) await checkWhen(fields.when);
  return deps.db.transaction(async (tx) => {
    await checkPatternReferences(tx, actor.workspaceId, fields);
    const set = {
      ...(fields.name !== undefined ? { name: fields.name } : {}),
      ...(fields.description !== undefined ? { description: fields.description } : {}),
      ...(fields.flowId !== undefined ? { flowId: fields.flowId } : {}),
      ...(fields.nodeId !== undefined ? { nodeId: fields.nodeId } : {}),
      ...(fields.when !== undefined ? { when: fields.when } : {}),
      ...(fields.expect !== undefined ? { expect: fields.expect as object } : {}),
      ...(fields.exampleDecisionIds !== undefined ? { exampleDecisionIds: [...new Set(fields.exampleDecisionIds)] } : {}),
      updatedAt: deps.now(),
    };
    const [row] = await tx
      .update(patterns)
      .set(set)
      .where(and(eq(patterns.id, patternId), eq(patterns.workspaceId, actor.workspaceId)))
      .returning(patternView);
    if (!row) throw notFound("Pattern");
    await audit(tx, actor, "pattern.update", { type: "pattern", id: patternId }, { fields: Object.keys(fields) });
    return row;
  });
}
