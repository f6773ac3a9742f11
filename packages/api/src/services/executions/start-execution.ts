import type { TriggerType } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { createRun } from "./create-run";
import { streamUrl } from "./execution-access";
import { StartExecutionInput } from "./schemas";

export type StartedExecution = { executionId: string; status: string; streamUrl: string };

/**
 * Starts a run of a flow by hand or through the API (members and up); see createRun. The builder's
 * Run passes `draft: true` (it runs what is being edited); the API's default stays published-else-draft.
 */
export async function startExecution(
  deps: Deps,
  { actor, input, triggerType }: { actor: Actor; input: unknown; triggerType: TriggerType },
): Promise<StartedExecution> {
  requireRole(actor.role, "member");
  const { flowId, input: runInput, version, draft, name, tags } = parseInput(StartExecutionInput, input);
  if (draft && version !== undefined) throw new AppError("BAD_REQUEST", "draft: give either version or draft, not both", { path: "draft" });
  const execution = await createRun(deps, { workspaceId: actor.workspaceId, flowId, input: runInput, version, draft, triggerType, createdBy: actor.userId, name, tags });
  return { executionId: execution.id, status: execution.status, streamUrl: streamUrl(execution.id) };
}
