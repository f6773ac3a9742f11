import { randomUUID } from "node:crypto";
import { and, blockExecutions, eq, inArray } from "@weft/db";
import type { ExecutionStatus } from "../core/status";
import { isTerminal } from "../core/status";
import { transition } from "../core/transition";
import { TransitionRefusedError } from "../store/errors";
import type { ExecutionStore } from "../store/execution-store";

/**
 * Commands from any process (the API, another worker). A running execution is owned by a worker, so
 * cancel/pause are requests it picks up at once (NOTIFY) and commits itself. Paused and pending
 * executions have no live owner: the command takes the lease for a moment, commits, and releases.
 */
const LEASE_MS = 10_000;

async function withLease<T>(
  store: ExecutionStore,
  executionId: string,
  fn: (owner: string, status: ExecutionStatus) => Promise<T>,
): Promise<T | null> {
  const owner = `command-${randomUUID()}`;
  const row = await store.acquire({ executionId, owner, leaseMs: LEASE_MS });
  if (!row) return null;
  try {
    return await fn(owner, row.status);
  } finally {
    await store.release({ executionId, owner });
  }
}

async function statusOf(store: ExecutionStore, executionId: string): Promise<ExecutionStatus> {
  const loaded = await store.load(executionId);
  if (!loaded) throw new Error(`execution ${executionId} not found`);
  return loaded.execution.status;
}

function refuse(executionId: string, status: ExecutionStatus, action: string): never {
  throw new TransitionRefusedError(executionId, status, action);
}

export async function cancelExecution(store: ExecutionStore, { executionId, by }: { executionId: string; by?: string | null }) {
  const direct = await withLease(store, executionId, async (owner, status) => {
    const t = transition(status, { type: "cancel", by });
    if (!t.ok) refuse(executionId, status, "cancel");
    await store.commit({
      executionId,
      owner,
      from: [t.from],
      to: t.to,
      action: "cancel",
      events: [{ type: "execution_cancelled", by: by ?? null }],
      set: { finishedAt: new Date(), requestedCommand: null },
    });
    return t.to;
  });
  if (direct) return direct;
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
  const done = await withLease(store, executionId, async (owner, status) => {
    const t = transition(status, { type: "resume" });
    if (!t.ok) refuse(executionId, status, "resume");
    const [approval] = await store.db
      .select({ nodeId: blockExecutions.nodeId })
      .from(blockExecutions)
      .where(and(eq(blockExecutions.executionId, executionId), eq(blockExecutions.blockType, "approval"), eq(blockExecutions.status, "running")));
    if (approval) refuse(executionId, status, `resume (it waits for approval ${approval.nodeId}: approve or reject it)`);
    await store.commit({ executionId, owner, from: ["paused"], to: "running", action: "resume", events: [{ type: "execution_resumed" }], release: true });
    return true;
  });
  if (!done) refuse(executionId, await statusOf(store, executionId), "resume");
}

/** Approves or rejects the approval node an execution waits on; the execution continues either way. */
export async function decideApproval(
  store: ExecutionStore,
  { executionId, approved, by, comment }: { executionId: string; approved: boolean; by: string | null; comment?: string | null },
) {
  const done = await withLease(store, executionId, async (owner, status) => {
    if (status !== "paused") refuse(executionId, status, approved ? "approve" : "reject");
    const [waiting] = await store.db
      .select()
      .from(blockExecutions)
      .where(and(eq(blockExecutions.executionId, executionId), eq(blockExecutions.blockType, "approval"), eq(blockExecutions.status, "running")));
    if (!waiting) refuse(executionId, status, approved ? "approve" : "reject");
    const output = { approved, by, comment: comment ?? null };
    const at = waiting.iteration ? { iteration: waiting.iteration } : {};
    await store.commit({
      executionId,
      owner,
      from: ["paused"],
      to: "running",
      action: approved ? "approve" : "reject",
      events: [
        { type: "node_complete", nodeId: waiting.nodeId, ...at, output },
        { type: "execution_resumed" },
      ],
      blocks: [{ nodeId: waiting.nodeId, iteration: waiting.iteration, blockType: "approval", status: "completed", attempt: waiting.attempt, output, finishedAt: new Date() }],
      set: { wakeAt: null },
      release: true,
    });
    return output;
  });
  if (!done) refuse(executionId, await statusOf(store, executionId), approved ? "approve" : "reject");
  return done;
}

/**
 * Fix-and-continue: a failed execution continues from its failed node with the flow's current graph
 * (`graph`, after the user fixed it). Completed nodes keep their outputs and are not re-run; the failed
 * node and anything skipped or left pending run again. Refused (409) unless the execution failed.
 */
export async function resumeFromFailure(
  store: ExecutionStore,
  { executionId, graph }: { executionId: string; graph: { nodes: unknown[]; edges: unknown[] } },
) {
  const done = await withLease(store, executionId, async (owner, status) => {
    const [failedBlock] = await store.db
      .select()
      .from(blockExecutions)
      .where(and(eq(blockExecutions.executionId, executionId), eq(blockExecutions.status, "failed")));
    const fromNodeId = failedBlock?.nodeId ?? "";
    const t = transition(status, { type: "retry_failed", fromNodeId });
    if (!t.ok) refuse(executionId, status, "resume from the failed node");
    // Skipped and unfinished rows are dropped and failed rows reset to pending: those nodes are decided
    // again with the new graph (their earlier events stay in the log as history). A failed row keeps
    // its attempt count, so the re-run is the next attempt (attempt 2 after one failed try), not a
    // second "attempt 1". Completed rows are kept and reused.
    await store.db
      .delete(blockExecutions)
      .where(and(eq(blockExecutions.executionId, executionId), inArray(blockExecutions.status, ["skipped", "running", "pending"])));
    await store.db
      .update(blockExecutions)
      .set({ status: "pending", error: null, output: null, finishedAt: null })
      .where(and(eq(blockExecutions.executionId, executionId), eq(blockExecutions.status, "failed")));
    await store.commit({
      executionId,
      owner,
      from: ["failed"],
      to: "running",
      action: "resume from the failed node",
      events: [{ type: "execution_resumed", fromNodeId }],
      set: { error: null, finishedAt: null, graph },
      release: true,
    });
    return { fromNodeId };
  });
  if (!done) refuse(executionId, await statusOf(store, executionId), "resume from the failed node");
  return done;
}
