import { patterns } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { checkPatternReferences } from "./check-references";
import { checkWhen } from "./evaluate-when";
import { patternView, type PatternView } from "./pattern-view";
import { CreatePatternInput } from "./schemas";

/** Saves a pattern (members and up); its `when` must compile in the sandbox. */
export async function createPattern(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<PatternView> {
  requireRole(actor.role, "member");
  const fields = parseInput(CreatePatternInput, input);
  await checkWhen(fields.when);
  return deps.db.transaction(async (tx) => {
    await checkPatternReferences(tx, actor.workspaceId, fields);
    const [row] = await tx
      .insert(patterns)
      .values({
        workspaceId: actor.workspaceId,
        name: fields.name,
        description: fields.description,
        flowId: fields.flowId ?? null,
        nodeId: fields.nodeId ?? null,
        when: fields.when,
        expect: fields.expect === undefined ? null : (fields.expect as object),
        exampleDecisionIds: [...new Set(fields.exampleDecisionIds)],
        createdBy: actor.userId,
      })
      .returning(patternView);
    await audit(tx, actor, "pattern.create", { type: "pattern", id: row!.id });
    return row!;
  });
}
