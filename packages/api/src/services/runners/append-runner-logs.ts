import { and, eq, lte, runnerJobs } from "@weft/db";
import { createMasker, type EventInput } from "@weft/engine";
import type { Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { loadRunVariables } from "../variables/load-run-variables";
import type { RunnerIdentity } from "./authenticate-runner";
import { renewClaim } from "./runner-job-access";
import { AppendRunnerLogsInput, type RunnerMessage } from "./schemas";

/**
 * A chunk of a running step's stream: assistant text becomes `node_stream` `delta`s, everything else
 * (stdout, stderr, tool uses and results, usage) `node_stream` log lines with the kind as level.
 * Secret variable values are masked as in every event. Chunks are numbered: one already received (a
 * retried POST) is dropped. Also renews the claim; `cancel` tells the runner to kill the step.
 */
export async function appendRunnerLogs(deps: Deps, { runner, jobId, input }: { runner: RunnerIdentity; jobId: string; input: unknown }) {
  const { seq, messages } = parseInput(AppendRunnerLogsInput, input);
  const { cancel, job } = await renewClaim(deps, runner, jobId);
  if (cancel) return { cancel, accepted: false };
  const [fresh] = await deps.db
    .update(runnerJobs)
    .set({ nextChunk: seq + 1 })
    .where(and(eq(runnerJobs.id, job.id), lte(runnerJobs.nextChunk, seq)))
    .returning({ id: runnerJobs.id });
  if (!fresh) return { cancel: false, accepted: false };
  const { secrets } = await loadRunVariables(deps, { workspaceId: job.workspaceId });
  const mask = createMasker(secrets);
  const events = mask(toEvents(job, messages));
  await deps.executions.appendEvents({ workspaceId: job.workspaceId, executionId: job.executionId, events });
  return { cancel: false, accepted: true };
}

/** Consecutive text joins into one delta; consecutive other messages into one event of log lines. */
function toEvents(job: { nodeId: string; iteration: string }, messages: RunnerMessage[]): EventInput[] {
  const at = { nodeId: job.nodeId, ...(job.iteration ? { iteration: job.iteration } : {}) };
  const events: EventInput[] = [];
  for (const m of messages) {
    const last = events[events.length - 1];
    if (m.kind === "text") {
      if (last?.type === "node_stream" && last.delta !== undefined) last.delta += m.text;
      else events.push({ type: "node_stream", ...at, delta: m.text });
    } else {
      const line = { level: m.kind, message: m.text };
      if (last?.type === "node_stream" && last.logs) last.logs.push(line);
      else events.push({ type: "node_stream", ...at, logs: [line] });
    }
  }
  return events;
}
