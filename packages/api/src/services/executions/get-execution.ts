import { and, asc, blockExecutions, eq, flows } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { findExecution } from "./execution-access";
import { loadTimings } from "./execution-timing";
import { ExecutionIdInput } from "./schemas";

const usd = (value: string | null) => (value == null ? null : Number(value));

/** One execution of the workspace with its block executions and metrics (lease internals left out). */
export async function getExecution(deps: Deps, { actor, input }: { actor: Actor; input: unknown }) {
  const { executionId } = parseInput(ExecutionIdInput, input);
  const execution = await findExecution(deps, { workspaceId: actor.workspaceId, executionId });
  const [flow] = await deps.db
    .select({ name: flows.name })
    .from(flows)
    .where(and(eq(flows.id, execution.flowId), eq(flows.workspaceId, actor.workspaceId)));
  const blocks = await deps.db
    .select()
    .from(blockExecutions)
    .where(and(eq(blockExecutions.executionId, execution.id), eq(blockExecutions.workspaceId, actor.workspaceId)))
    .orderBy(asc(blockExecutions.startedAt), asc(blockExecutions.createdAt));
  const timing = (await loadTimings(deps.db, { workspaceId: actor.workspaceId, executionIds: [execution.id] })).get(execution.id)!;

  return {
    id: execution.id,
    flowId: execution.flowId,
    flowName: flow?.name ?? null,
    flowVersionId: execution.flowVersionId,
    status: execution.status,
    triggerType: execution.triggerType,
    graph: execution.graph,
    input: execution.input,
    output: execution.output,
    error: execution.error,
    requestedCommand: execution.requestedCommand,
    retryOfExecutionId: execution.retryOfExecutionId,
    rerunFromNodeId: execution.rerunFromNodeId,
    name: execution.name,
    tags: execution.tags,
    createdBy: execution.createdBy,
    createdAt: execution.createdAt,
    startedAt: execution.startedAt,
    finishedAt: execution.finishedAt,
    metrics: {
      durationMs: execution.durationMs,
      tokensIn: execution.tokensIn,
      tokensOut: execution.tokensOut,
      tokens: execution.tokensIn + execution.tokensOut,
      costUsd: usd(execution.costUsd),
    },
    /** Active and paused time (see RunTiming): what every page shows as the run's time. */
    timing,
    blocks: blocks.map((b) => ({
      id: b.id,
      nodeId: b.nodeId,
      blockType: b.blockType,
      iteration: b.iteration,
      status: b.status,
      attempt: b.attempt,
      input: b.input,
      output: b.output,
      error: b.error,
      startedAt: b.startedAt,
      finishedAt: b.finishedAt,
      reusedFromExecutionId: b.reusedFromExecutionId,
      metrics: {
        durationMs: b.durationMs,
        tokensIn: b.tokensIn,
        tokensOut: b.tokensOut,
        costUsd: usd(b.costUsd),
        ttftMs: b.ttftMs,
        tokensPerSecond: b.tokensPerSecond,
      },
    })),
  };
}

export type ExecutionDetail = Awaited<ReturnType<typeof getExecution>>;
