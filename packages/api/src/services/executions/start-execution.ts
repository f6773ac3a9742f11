import type { TriggerType } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { createRun } from "./create-run";
import { streamUrl } from "./execution-access";
import { StartExecutionInput } from "./schemas";

export type StartedExecution = { executionId: string; status: string; streamUrl: string };

/** Starts a run of a flow by hand or through the API (members and up); see createRun. */
export async function startExecution(
  deps: Deps,
  { actor, input, triggerType }: { actor: Actor; input: unknown; triggerType: TriggerType },
): Promise<StartedExecution> {
  requireRole(actor.role, "member");
  const { flowId, input: runInput, version } = parseInput(StartExecutionInput, input);
  const execution = await createRun(deps, { workspaceId: actor.workspaceId, flowId, input: runInput, version, triggerType, createdBy: actor.userId });
  return { executionId: execution.id, status: execution.status, streamUrl: streamUrl(execution.id) };
}
