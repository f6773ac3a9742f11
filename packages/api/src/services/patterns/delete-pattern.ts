import { and, eq, patterns } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { PatternIdInput } from "./schemas";

export async function deletePattern(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ deleted: true }> {
  requireRole(actor.role, "member");
  const { patternId } = parseInput(PatternIdInput, input);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(patterns)
      .where(and(eq(patterns.id, patternId), eq(patterns.workspaceId, actor.workspaceId)))
      .returning({ id: patterns.id });
    if (!row) throw notFound("Pattern");
    await audit(tx, actor, "pattern.delete", { type: "pattern", id: patternId });
    return { deleted: true as const };
  });
}
