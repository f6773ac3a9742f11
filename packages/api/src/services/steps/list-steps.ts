import { and, asc, blockExecutions, eq } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { findExecution } from "../executions/execution-access";
import { ListStepsInput } from "./schemas";
import { stepView, type StepView } from "./step-view";

/** One row per node execution of a run (status, attempt, iteration, timings, metrics), in start order. */
export async function listSteps(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ steps: StepView[] }> {
  const { executionId } = parseInput(ListStepsInput, input);
  await findExecution(deps, { workspaceId: actor.workspaceId, executionId });
  const rows = await deps.db
    .select()
    .from(blockExecutions)
    .where(and(eq(blockExecutions.workspaceId, actor.workspaceId), eq(blockExecutions.executionId, executionId)))
    .orderBy(asc(blockExecutions.startedAt), asc(blockExecutions.createdAt), asc(blockExecutions.nodeId), asc(blockExecutions.iteration));
  return { steps: rows.map(stepView) };
}
