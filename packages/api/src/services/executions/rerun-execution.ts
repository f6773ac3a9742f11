import { and, blockExecutions, eq, type TriggerType } from "@weft/db";
import { isTerminal } from "@weft/engine";
import { planRerun } from "@weft/flow";
import type { Actor, Deps } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { findFlow } from "../flows/find-flow";
import { findExecution, requireStepOf, requireValidGraph, streamUrl, type Graph } from "./execution-access";
import { RerunExecutionInput } from "./schemas";
import { requireValidInput } from "./require-valid-input";
import type { StartedExecution } from "./start-execution";

/**
 * Re-run from any step (members and up): a NEW execution that keeps the stored outputs of every step
 * the ended run completed outside `fromNodeId` and what follows it (marked `reused`, never executed
 * again), and runs that step and everything after it, on the earlier run's pinned graph or, with
 * `useDraft`, on the flow's current draft (validated: 400). 409 while the earlier run has not ended.
 */
export async function rerunExecution(
  deps: Deps,
  { actor, input, triggerType }: { actor: Actor; input: unknown; triggerType: TriggerType },
): Promise<StartedExecution & { reusedNodeIds: string[] }> {
  requireRole(actor.role, "member");
  const args = parseInput(RerunExecutionInput, input);
  const original = await findExecution(deps, { workspaceId: actor.workspaceId, executionId: args.executionId });
  const flow = await findFlow(deps.db, { workspaceId: actor.workspaceId, flowId: original.flowId });
  if (!isTerminal(original.status)) {
    throw new AppError("CONFLICT", `Cannot re-run execution ${original.id}: it is ${original.status}`);
  }
  const graph: Graph | null = args.useDraft ? { nodes: flow.nodes, edges: flow.edges } : original.graph;
  if (!graph) throw new AppError("CONFLICT", `Cannot re-run execution ${original.id}: it has no pinned graph`);
  const valid = requireValidGraph(graph);
  requireStepOf({ graph }, args.fromNodeId, "fromNodeId");
  const newInput = args.input !== undefined;
  const runInput = newInput ? args.input : original.input;
  if (newInput) requireValidInput(valid, runInput);

  const steps = await deps.db
    .select()
    .from(blockExecutions)
    .where(and(eq(blockExecutions.workspaceId, actor.workspaceId), eq(blockExecutions.executionId, original.id), eq(blockExecutions.status, "completed")));
  const plan = planRerun({ graph, fromNodeId: args.fromNodeId, completed: steps, newInput });
  const keep = new Set(plan.reuse.map((s) => `${s.nodeId}\u0000${s.iteration}`));
  const reused = steps.filter((s) => keep.has(`${s.nodeId}\u0000${s.iteration}`));
  const execution = await deps.executions.createRerun({
    workspaceId: actor.workspaceId,
    flowId: original.flowId,
    flowVersionId: args.useDraft ? null : original.flowVersionId,
    graph,
    input: runInput,
    triggerType,
    createdBy: actor.userId,
    name: args.name ?? original.name,
    tags: args.tags ?? original.tags,
    rerunOf: original.id,
    fromNodeId: plan.startNodeId,
    reused,
  });
  return {
    executionId: execution.id,
    status: execution.status,
    streamUrl: streamUrl(execution.id),
    reusedNodeIds: [...new Set(reused.map((s) => s.nodeId))],
  };
}
