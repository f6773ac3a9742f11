import type { ExecutionStatus } from "../core/status";
import { isTerminal } from "../core/status";
import { transition } from "../core/transition";
import { TransitionRefusedError } from "../store/errors";
import type { ExecutionStore } from "../store/execution-store";

/**
 * Commands from any process (the API, another worker). A running execution is owned by a worker, so
 * cancel/pause are requests it picks up at once (NOTIFY) and commits itself. Paused, pending and
 * failed executions have no live owner: the command holds the execution for ONE transaction
 * (`store.exclusive`: lease taken, rows read, transition committed, lease released, all or nothing).
 * The decisions are the pure transition table's (core/transition.ts); the writes are the store's.
 */

async function statusOf(store: ExecutionStore, executionId: string): Promise<ExecutionStatus> {
  const status = await store.statusOf(executionId);
  if (!status) throw new Error(`execution ${executionId} not found`);
  return status;
}

function refuse(executionId: string, status: ExecutionStatus, action: string): never {
  throw new TransitionRefusedError(executionId, status, action);
}

export async function cancelExecution(store: ExecutionStore, { executionId, by }: { executionId: string; by?: string | null }) {
  const direct = await store.exclusive(executionId, async ({ status, commit }) => {
    const t = transition(status, { type: "cancel", by });
    if (!t.ok) refuse(executionId, status, "cancel");
    await commit({
      from: [t.from],
      to: t.to,
      action: "cancel",
      events: t.events,
      set: { finishedAt: new Date(), requestedCommand: null },
    });
    return t.to;
  });
  if (direct) return direct.value;
  // Someone owns it (it is running): ask them.
  const status = await statusOf(store, executionId);
  if (isTerminal(status)) refuse(executionId, status, "cancel");
  await store.request({ executionId, command: "cancel", by });
  return status;
}

export async function pauseExecution(store: ExecutionStore, { executionId, by }: { executionId: string; by?: string | null }) {
  const status = await statusOf(store, executionId);
  if (!transition(status, { type: "pause", reason: "user" }).ok) refuse(executionId, status, "pause");
  await store.request({ executionId, command: "pause", by });
  return status;
}

/** Resumes a paused execution (not one waiting for an approval: approve or reject it instead). */
export async function resumeExecution(store: ExecutionStore, { executionId }: { executionId: string }) {
  const done = await store.exclusive(executionId, async ({ status, blocks, commit }) => {
    const t = transition(status, { type: "resume" });
    if (!t.ok) refuse(executionId, status, "resume");
    const [approval] = await blocks({ blockType: "approval", status: "running" });
    if (approval) refuse(executionId, status, `resume (it waits for approval ${approval.nodeId}: approve or reject it)`);
    await commit({ from: [t.from], to: t.to, action: "resume", events: t.events, release: true });
    return true;
  });
  if (!done) refuse(executionId, await statusOf(store, executionId), "resume");
}

/** Approves or rejects the approval node an execution waits on; the execution continues either way. */
export async function decideApproval(
  store: ExecutionStore,
  { executionId, approved, by, comment }: { executionId: string; approved: boolean; by: string | null; comment?: string | null },
) {
  const action = approved ? "approve" : "reject";
  const done = await store.exclusive(executionId, async ({ status, blocks, commit }) => {
    const t = transition(status, { type: "resume" });
    if (!t.ok) refuse(executionId, status, action);
    const [waiting] = await blocks({ blockType: "approval", status: "running" });
    if (!waiting) refuse(executionId, status, action);
    const output = { approved, by, comment: comment ?? null };
    const at = waiting.iteration ? { iteration: waiting.iteration } : {};
    await commit({
      from: [t.from],
      to: t.to,
      action,
      events: [{ type: "node_complete", nodeId: waiting.nodeId, ...at, output }, ...t.events],
      blocks: [{ nodeId: waiting.nodeId, iteration: waiting.iteration, blockType: "approval", status: "completed", attempt: waiting.attempt, output, finishedAt: new Date() }],
      set: { wakeAt: null },
      release: true,
    });
    return output;
  });
  if (!done) refuse(executionId, await statusOf(store, executionId), action);
  return done.value;
}

/**
 * Fix-and-continue: a failed execution continues from its failed node with the flow's current graph
 * (`graph`, after the user fixed it). Completed nodes keep their outputs and are not re-run; the failed
 * node and anything skipped or left pending run again. Refused (409) unless the execution failed.
 * One transaction: the block rows are reopened and the status committed together (a crash leaves
 * either the failed run as it was or the resumed one).
 */
export async function resumeFromFailure(
  store: ExecutionStore,
  { executionId, graph }: { executionId: string; graph: { nodes: unknown[]; edges: unknown[] } },
) {
  const done = await store.exclusive(executionId, async ({ status, blocks, commit, reopenFailed }) => {
    const [failedBlock] = await blocks({ status: "failed" });
    const fromNodeId = failedBlock?.nodeId ?? "";
    const t = transition(status, { type: "retry_failed", fromNodeId });
    if (!t.ok) refuse(executionId, status, "resume from the failed node");
    // Their earlier events stay in the log as history. A failed row keeps its attempt count, so the
    // re-run is the next attempt (attempt 2 after one failed try), not a second "attempt 1".
    await reopenFailed();
    await commit({
      from: [t.from],
      to: t.to,
      action: "resume from the failed node",
      events: t.events,
      set: { error: null, finishedAt: null, graph },
      release: true,
    });
    return { fromNodeId };
  });
  if (!done) refuse(executionId, await statusOf(store, executionId), "resume from the failed node");
  return done.value;
}
