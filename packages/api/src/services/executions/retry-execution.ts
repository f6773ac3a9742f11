import type { TriggerType } from "@weft/db";
import { isTerminal } from "@weft/flow";
import type { Actor, Deps } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { findFlow } from "../flows/find-flow";
import { findExecution, streamUrl } from "./execution-access";
import { ExecutionIdInput } from "./schemas";
import type { StartedExecution } from "./start-execution";

/**
 * Runs an ended execution again as a NEW execution: the same input and the same pinned graph (not the
 * flow's current one), linked by `retryOfExecutionId`. 409 while the original has not ended.
 */
export async function retryExecution(
  deps: Deps,
  { actor, input, triggerType }: { actor: Actor; input: unknown; triggerType: TriggerType },
): Promise<StartedExecution> {
  requireRole(actor.role, "member");
  const { executionId } = parseInput(ExecutionIdInput, input);
  const original = await findExecution(deps, { workspaceId: actor.workspaceId, executionId });
  await findFlow(deps.db, { workspaceId: actor.workspaceId, flowId: original.flowId });
  if (!isTerminal(original.status)) {
    throw new AppError("CONFLICT", `Cannot retry execution ${executionId}: it is ${original.status}`);
  }
  if (!original.graph) throw new AppError("CONFLICT", `Cannot retry execution ${executionId}: it has no pinned graph`);
  const execution = await deps.executions.create({
    workspaceId: actor.workspaceId,
    flowId: original.flowId,
    flowVersionId: original.flowVersionId,
    graph: original.graph,
    input: original.input,
    triggerType,
    createdBy: actor.userId,
    retryOfExecutionId: original.id,
  });
  return { executionId: execution.id, status: execution.status, streamUrl: streamUrl(execution.id) };
}
