import { and, asc, blockExecutions, eq, executionEvents, sql } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { parseInput } from "../../lib/validation";
import { findExecution, requireStepOf } from "../executions/execution-access";
import { StepLogsInput } from "./schemas";
import { summarizeStep } from "./step-summary";
import { stepView } from "./step-view";

/**
 * One step's logs by `type`: `input` and `output` (as stored), `events` (its events in the run's log),
 * `console` (lines its user code printed), `summary` (deterministic: status, duration, attempts, the
 * first lines of the error, the output's keys and sizes, tokens and cost). Viewers read.
 */
export async function getStepLogs(deps: Deps, { actor, input }: { actor: Actor; input: unknown }) {
  const { executionId, nodeId, type, iteration } = parseInput(StepLogsInput, input);
  const execution = await findExecution(deps, { workspaceId: actor.workspaceId, executionId });
  requireStepOf(execution, nodeId, "nodeId");
  const [row] = await deps.db
    .select()
    .from(blockExecutions)
    .where(
      and(
        eq(blockExecutions.workspaceId, actor.workspaceId),
        eq(blockExecutions.executionId, executionId),
        eq(blockExecutions.nodeId, nodeId),
        eq(blockExecutions.iteration, iteration),
      ),
    );
  if (!row) throw new AppError("NOT_FOUND", `Step ${nodeId}${iteration ? ` (iteration ${iteration})` : ""} has not run in this execution`);
  const step = stepView(row);
  const base = { executionId, nodeId, iteration, type };
  if (type === "input") return { ...base, content: row.input ?? null };
  if (type === "output") return { ...base, content: row.output ?? null };
  if (type === "summary") return { ...base, content: summarizeStep(step, row.output) };
  const events = await deps.db
    .select({ index: executionEvents.eventIndex, type: executionEvents.type, data: executionEvents.data, createdAt: executionEvents.createdAt })
    .from(executionEvents)
    .where(
      and(
        eq(executionEvents.executionId, executionId),
        eq(executionEvents.workspaceId, actor.workspaceId),
        sql`${executionEvents.data}->>'nodeId' = ${nodeId}`,
        iteration ? sql`${executionEvents.data}->>'iteration' = ${iteration}` : sql`${executionEvents.data}->'iteration' is null`,
      ),
    )
    .orderBy(asc(executionEvents.eventIndex));
  if (type === "events") return { ...base, content: events };
  const lines = events.flatMap((e) => (e.type === "node_stream" && Array.isArray(e.data.logs) ? (e.data.logs as Array<{ level: string; message: string }>) : []));
  return { ...base, content: lines };
}
