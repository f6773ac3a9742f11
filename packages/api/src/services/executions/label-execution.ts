import type { Actor, Deps } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { LabelExecutionInput } from "./schemas";

/** Renames a run and/or sets its tags, at any time (members and up). */
export async function labelExecution(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ id: string; name: string | null; tags: string[] }> {
  requireRole(actor.role, "member");
  const { executionId, name, tags } = parseInput(LabelExecutionInput, input);
  const row = await deps.executions.labelExecution({ workspaceId: actor.workspaceId, executionId, name, tags });
  if (!row) throw notFound("Execution");
  return row;
}
