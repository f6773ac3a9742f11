import type { BlockExecution, FlowExecution } from "@weft/db";
import { isTransientStoreError, planEnding, type EndCause } from "../core/ending";
import { runTotals, visibleOutputs, type NodeRun } from "../core/run-output";
import { isTerminal, type ExecutionStatus } from "../core/status";
import { transition, type ExecutionCommand } from "../core/transition";
import type { BlockUpsert, EventInput, ExecutionStore } from "../store/execution-store";
import type { BlockMetrics, TemplateScope } from "./block";
import { CommitQueue, type CommitRange, type CommitRequest } from "./commit-queue";
import { createMasker, maskCommit, type Masker, type RunVariables } from "./mask";

/** How a run ended (its committed, masked output and error). */
export type RunEnd = { status: ExecutionStatus; output: unknown; error: unknown };

/** What this process knows of one node run (a block row of an iteration). */
export type NodeState = {
  status: BlockExecution["status"];
  attempt: number;
  output?: unknown;
  error?: { code: string; message: string } | null;
  metrics?: BlockMetrics;
  blockType: string;
};

export type RecordOptions = {
  store: ExecutionStore;
  owner: string;
  leaseMs: number;
  groupCommitMs: number;
  maxEvents: number;
  now: () => number;
  onError?: (error: unknown) => void;
  variables?: RunVariables;
  /** True once the runner is stopping: the commit queue gathers nothing more. */
  stopping: () => boolean;
};

export const keyOf = (nodeId: string, iteration: string) => `${nodeId}\u0000${iteration}`;

/**
 * The runner's record of one execution it holds the lease of: the execution's status, its node runs,
 * and every write of them, through the run's commit queue (masked). The execution's own status changes
 * go through the pure transition table, and its endings are the pure core's plans (core/ending.ts),
 * interpreted here.
 */
export class RunRecord {
  readonly runs = new Map<string, NodeState>();
  status: ExecutionStatus;
  startedAt: number;
  /** How the run ended, as committed (masked), once it ended here: the in-process sync wait reads it. */
  ending: RunEnd | null = null;
  readonly commits: CommitQueue;
  private readonly mask: Masker | null;

  constructor(
    private readonly options: RecordOptions,
    readonly execution: FlowExecution,
    blocks: BlockExecution[],
  ) {
    this.status = execution.status;
    this.commits = new CommitQueue({
      write: (input) =>
        options.store.commit({ ...input, executionId: execution.id, owner: options.owner, leaseMs: input.release ? undefined : options.leaseMs }),
      groupCommitMs: options.groupCommitMs,
      maxEvents: options.maxEvents,
      lastEventIndex: execution.nextEventIndex - 1,
      stopping: options.stopping,
    });
    this.mask = options.variables?.secrets.length ? createMasker(options.variables.secrets) : null;
    this.startedAt = execution.startedAt?.getTime() ?? options.now();
    for (const b of blocks) {
      this.runs.set(keyOf(b.nodeId, b.iteration), {
        status: b.status,
        attempt: b.attempt,
        output: b.output,
        error: b.error,
        blockType: b.blockType,
        metrics: { tokensIn: b.tokensIn, tokensOut: b.tokensOut, costUsd: b.costUsd == null ? null : Number(b.costUsd), ttftMs: b.ttftMs, tokensPerSecond: b.tokensPerSecond },
      });
    }
  }

  /** Queues a commit (masked) on the run's commit queue. */
  commit(request: CommitRequest, pipelined = false): Promise<CommitRange> {
    return this.commits.push(this.mask ? maskCommit(request, this.mask) : request, pipelined);
  }

  /** An execution status change: checked by the pure table, then committed with its events. */
  async transition(
    command: ExecutionCommand,
    extra: { set?: Parameters<ExecutionStore["commit"]>[0]["set"]; events?: EventInput[]; blocks?: BlockUpsert[]; release?: boolean } = {},
  ) {
    const result = transition(this.status, command);
    if (!result.ok) throw new Error(result.message);
    await this.commit({
      from: [result.from],
      to: result.to,
      action: command.type,
      set: extra.set,
      events: [...(extra.events ?? []), ...result.events],
      blocks: extra.blocks,
      release: extra.release,
    });
    this.status = result.to;
    if (isTerminal(result.to)) {
      const ended = { output: extra.set?.output ?? null, error: extra.set?.error ?? null };
      this.ending = { status: result.to, ...(this.mask ? this.mask(ended) : ended) };
    }
  }

  /** Interprets the core's ending plan: commit the transition, hand the run back, or leave it. */
  async end(cause: EndCause, error?: unknown) {
    const plan = planEnding(cause, this.options.now());
    if (plan.type === "leave") return;
    if (plan.type === "hand_back") {
      this.options.onError?.(error);
      await this.handBack();
      return;
    }
    if (plan.report) this.options.onError?.(error);
    const { wakeAt, ...set } = plan.set;
    await this.transition(plan.command, {
      events: plan.events,
      set: {
        ...set,
        ...(wakeAt !== undefined ? { wakeAt: wakeAt === null ? null : new Date(wakeAt) } : {}),
        ...(plan.totals ? this.totals() : {}),
      },
      blocks: plan.inFlight ? this.inFlightBlocks(plan.inFlight) : undefined,
      release: true,
    });
  }

  /**
   * The database failed for a moment (a restart, a dropped connection), not the run: release the
   * lease so that whoever claims the run next (this process too) resumes it at the exact step. While
   * the database stays away, the lease simply expires.
   */
  private async handBack() {
    const { store, owner, leaseMs, now } = this.options;
    const deadline = now() + leaseMs;
    for (let attempt = 0; now() < deadline; attempt++) {
      try {
        await store.release({ executionId: this.execution.id, owner });
        await store.notifyWork(this.execution.id);
        return;
      } catch (error) {
        if (!isTransientStoreError(error)) return this.options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** attempt)));
      }
    }
  }

  /** An approval whose deadline passed while paused: the node fails, and so does the execution. */
  async expireApproval() {
    const waiting = [...this.runs.entries()].find(([, run]) => run.status === "running" && run.blockType === "approval");
    const [nodeId, iteration] = (waiting?.[0] ?? "\u0000").split("\u0000") as [string, string];
    const error = { code: "APPROVAL_TIMEOUT", message: `Nobody approved or rejected ${nodeId} in time` };
    await this.transition(
      { type: "fail", error: { ...error, nodeId } },
      {
        events: [{ type: "node_error", nodeId, ...(iteration ? { iteration } : {}), error }],
        blocks: waiting ? [{ nodeId, iteration, blockType: "approval", status: "failed", error }] : [],
        set: { error: { ...error, nodeId }, wakeAt: null, ...this.totals() },
        release: true,
      },
    );
  }

  private inFlightBlocks(status: "failed" | "pending"): BlockUpsert[] {
    const rows: BlockUpsert[] = [];
    for (const run of this.nodeRuns()) {
      if (run.status !== "running") continue;
      const { blockType } = this.runs.get(keyOf(run.nodeId, run.iteration))!;
      rows.push({
        nodeId: run.nodeId,
        iteration: run.iteration,
        blockType,
        status,
        ...(status === "failed" ? { error: { code: "CANCELLED", message: "The execution was cancelled" } } : {}),
      });
    }
    return rows;
  }

  /** Metrics summed over the execution's blocks, and its end time. */
  totals() {
    const now = this.options.now();
    return { ...runTotals(this.nodeRuns()), finishedAt: new Date(now), durationMs: now - this.startedAt };
  }

  /** The node runs as the pure core reads them. */
  *nodeRuns(): Iterable<NodeRun> {
    for (const [key, run] of this.runs) {
      const [nodeId, iteration] = key.split("\u0000") as [string, string];
      yield { nodeId, iteration, status: run.status, output: run.output, metrics: run.metrics };
    }
  }

  nodeRun(nodeId: string, iteration: string): NodeRun | undefined {
    const run = this.runs.get(keyOf(nodeId, iteration));
    return run && { nodeId, iteration, status: run.status, output: run.output, metrics: run.metrics };
  }

  /** Templates' scope for a node of iteration `iteration` receiving `input`. */
  templateScope(input: unknown, iteration: string): TemplateScope {
    const runInput = this.execution.input as { trigger?: unknown } | null;
    return {
      input,
      nodes: visibleOutputs(this.nodeRuns(), iteration),
      trigger: runInput && typeof runInput === "object" ? (runInput.trigger ?? null) : null,
      env: this.options.variables?.env ?? {},
    };
  }
}
