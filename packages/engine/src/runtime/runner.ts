import type { BlockExecution, FlowExecution } from "@weft/db";
import { attemptOutcome, pipelinesCompletion, QUICK_BLOCKS, startsAtOnce } from "../core/attempt";
import { isTransientStoreError, type EndCause } from "../core/ending";
import { loopItems, loopNext, whileScope, type LoopConfig } from "../core/loop";
import { iterationOutput, runOutput } from "../core/run-output";
import { planScope, type ScopeGraph } from "../core/scope";
import type { ExecutionError } from "../core/transition";
import { LeaseLostError } from "../store/errors";
import type { BlockUpsert, EventInput, ExecutionStore } from "../store/execution-store";
import { StoreFailure } from "./commit-queue";
import { BlockError, describeError, type BlockExecutor, type BlockResult, type TemplateScope } from "./block";
import { indexGraph, type GraphIndex, type GraphNode } from "./graph";
import type { RunVariables } from "./mask";
import { keyOf, RunRecord, type RunEnd } from "./run-record";
import { sleep } from "./sleep";
import { createStreamer } from "./streamer";

export type { RunEnd } from "./run-record";

export type RunnerOptions = {
  store: ExecutionStore;
  blocks: ReadonlyMap<string, BlockExecutor>;
  owner: string;
  leaseMs: number;
  heartbeatMs: number;
  /** Nodes of one execution running at the same time. */
  maxConcurrency: number;
  limits: { maxEvents: number; maxOutputBytes: number };
  /** Renders a `{{ ... }}` template against a scope (packages/flow). */
  renderTemplate: (template: string, scope: TemplateScope) => unknown;
  /** Evaluates a JS expression in the sandbox (loop `while`). */
  evaluate: (expression: string, scope: Record<string, unknown>, signal: AbortSignal) => Promise<unknown>;
  /** Coalescing window of streamed tokens into one `node_stream` event. */
  streamFlushMs: number;
  /** A quick block's node_start is committed with its completion unless it runs longer than this. */
  startEventDelayMs: number;
  /**
   * Group commit: a pipelined quick-block completion waits up to this long for the quick blocks
   * still running to finish and join the same store call (0 = write at once).
   */
  groupCommitMs?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
  /** Workspace variables of this run: `{{ env.NAME }}`; secret values are masked in everything committed. */
  variables?: RunVariables;
};

/** Stops the runner without touching the execution (lease lost) or after committing a pause/cancel. */
class Stop extends Error {
  constructor(readonly reason: "lease_lost" | "cancel" | "pause" | "approval") {
    super(reason);
  }
}
class NodeFailed extends Error {
  constructor(readonly error: ExecutionError) {
    super(error.message);
  }
}

/**
 * Runs one claimed execution to its end (or to a pause) as the owner of its lease. Completed nodes
 * are never re-run: their stored outputs are used. A node that was running when a previous owner
 * died runs again with the same idempotency key. Every state change goes through the store, fenced
 * by the lease; the execution's own status changes go through the pure transition table first.
 */
export class ExecutionRunner {
  private readonly graph: GraphIndex;
  private readonly scopeGraph: ScopeGraph;
  private readonly invalid: ExecutionError | null = null;
  private readonly record: RunRecord;
  private readonly abort = new AbortController();
  private stopReason: Stop | null = null;
  private approvalPending: { nodeId: string; iteration: string; message: string; timeoutMs?: number } | null = null;
  private readonly now: () => number;

  constructor(
    private readonly options: RunnerOptions,
    private readonly execution: FlowExecution,
    blocks: BlockExecution[],
  ) {
    let graph: GraphIndex | null = null;
    try {
      graph = indexGraph(execution.graph ?? { nodes: [], edges: [] });
    } catch (error) {
      const problems = (error as { problems?: Array<{ message: string }> }).problems;
      this.invalid = {
        code: "FLOW_INVALID",
        message: problems?.length ? `The flow is invalid: ${problems.map((p) => p.message).join("; ")}` : String(error),
      };
    }
    this.graph = graph ?? EMPTY_GRAPH;
    this.scopeGraph = { ...this.graph, typeOf: (id) => this.node(id).type };
    this.now = options.now ?? Date.now;
    this.record = new RunRecord(
      {
        store: options.store,
        owner: options.owner,
        leaseMs: options.leaseMs,
        groupCommitMs: options.groupCommitMs ?? 0,
        maxEvents: options.limits.maxEvents,
        now: this.now,
        onError: options.onError,
        variables: options.variables,
        stopping: () => this.stopReason !== null || this.abort.signal.aborted,
      },
      execution,
      blocks,
    );
  }

  /** A pipelined commit failed: stop everything; the error surfaces at the next scope step. */
  private asyncFailed(error: unknown) {
    if (error instanceof LeaseLostError) return this.stop("lease_lost");
    this.record.commits.failure ??= error;
    if (!this.abort.signal.aborted) this.abort.abort(error);
  }

  /** Aborts in-flight work for a reason (command from another process, or the lease was lost). */
  stop(reason: "lease_lost" | "cancel" | "pause") {
    if (this.stopReason) return;
    this.stopReason = new Stop(reason);
    this.abort.abort(this.stopReason);
  }

  /** Runs until the end or a pause; the committed end (null when it stopped without ending). */
  async run(): Promise<RunEnd | null> {
    const heartbeat = setInterval(() => void this.beat(), this.options.heartbeatMs);
    try {
      if (this.execution.requestedCommand) this.stop(this.execution.requestedCommand);
      if (this.record.status === "paused") {
        await this.record.expireApproval();
        return this.record.ending;
      }
      if (this.invalid) {
        if (this.record.status === "pending") await this.record.transition({ type: "start" }, { set: { startedAt: new Date(this.now()) } });
        throw new NodeFailed(this.invalid);
      }
      if (this.record.status === "pending") {
        this.record.startedAt = this.now();
        await this.record.transition({ type: "start" }, { set: { startedAt: new Date(this.record.startedAt) } });
      } else if (this.execution.nextEventIndex === 0) {
        // Dispatched directly (created running, with our lease): the start event goes with the first
        // node commit. A crash before it lands leaves a running run with no events, which whoever
        // claims it next starts the same way.
        this.record.commit({ events: [{ type: "execution_start" }] }, true).catch((error: unknown) => this.asyncFailed(error));
      }
      await this.runScope(null, "", undefined);
      await this.finish();
    } catch (error) {
      await this.handleEnd(error);
    } finally {
      clearInterval(heartbeat);
    }
    return this.record.ending;
  }

  /** Checks the lease and any command for this execution; called on a timer and on NOTIFY. */
  async beat(): Promise<void> {
    if (this.stopReason) return;
    try {
      const result = await this.options.store.heartbeat({ executionId: this.execution.id, owner: this.options.owner, leaseMs: this.options.leaseMs });
      if (!result.ok) this.stop("lease_lost");
      else if (result.requestedCommand) this.stop(result.requestedCommand);
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  // ---- scopes -----------------------------------------------------------------------------------

  /** Runs the nodes of one scope (the top level, or one iteration of a loop body) until all settle. */
  private async runScope(loopId: string | null, iteration: string, entry: unknown): Promise<unknown> {
    const scopeNodes = loopId ? this.graph.loopBody(loopId).nodeIds : [...this.graph.nodes.keys()].filter((id) => this.graph.loopOf(id) === null);
    const inFlight = new Map<string, Promise<void>>();
    let failure: unknown = null;
    for (;;) {
      if (this.record.commits.failure) failure ??= this.record.commits.failure;
      if (this.stopReason || failure || this.approvalPending) {
        await Promise.allSettled(inFlight.values());
        if (failure) throw failure as Error;
        if (this.stopReason) throw this.stopReason;
        throw new Stop("approval");
      }
      const { ready, skip } = planScope({
        graph: this.scopeGraph,
        nodeIds: scopeNodes,
        loopId,
        iteration,
        entry,
        runInput: this.execution.input,
        state: (nodeId, at) => this.record.runs.get(keyOf(nodeId, at)),
        inFlight: (nodeId) => inFlight.has(keyOf(nodeId, iteration)),
      });
      if (skip.length > 0) {
        await this.record.commit({
          events: skip.map((s) => ({ type: "node_skipped", nodeId: s.nodeId, ...(iteration ? { iteration } : {}), reason: s.reason })),
          blocks: skip.map((s) => ({ nodeId: s.nodeId, iteration, blockType: this.node(s.nodeId).type, status: "skipped" })),
        });
        for (const s of skip) this.record.runs.set(keyOf(s.nodeId, iteration), { status: "skipped", attempt: 0, blockType: this.node(s.nodeId).type });
      }
      for (const { nodeId, input } of ready) {
        if (inFlight.size >= this.options.maxConcurrency) break;
        const key = keyOf(nodeId, iteration);
        const task = this.runNode(this.node(nodeId), iteration, input)
          .catch((error: unknown) => {
            failure ??= error;
          })
          .finally(() => inFlight.delete(key));
        inFlight.set(key, task);
      }
      if (inFlight.size === 0) {
        if (ready.length === 0 && skip.length === 0) break;
        continue;
      }
      await Promise.race(inFlight.values());
    }
    if (!loopId) return undefined;
    return iterationOutput(this.graph.loopBody(loopId).exits, (id) => this.record.nodeRun(id, iteration));
  }

  private node(id: string): GraphNode {
    const node = this.graph.nodes.get(id);
    if (!node) throw new Error(`unknown node ${id}`);
    return node;
  }

  // ---- nodes ------------------------------------------------------------------------------------

  private async runNode(node: GraphNode, iteration: string, input: unknown): Promise<void> {
    const key = keyOf(node.id, iteration);
    const previous = this.record.runs.get(key);
    const at = iteration ? { iteration } : {};
    let attempt = (previous?.attempt ?? 0) + 1;
    const startedAt = this.now();
    for (;;) {
      // node_start is committed at once for blocks that wait (HTTP, AI, delays, loops, approvals) and
      // for retries; a quick block's start is committed with its completion, in one transaction,
      // unless it is still running after `startEventDelayMs`. A crash before that commit loses nothing:
      // the node was never recorded as started, so it simply runs (with the same idempotency key).
      const startEvent: EventInput = { type: "node_start", nodeId: node.id, blockType: node.type, ...at, attempt };
      const startBlock: BlockUpsert = { nodeId: node.id, iteration, blockType: node.type, status: "running", attempt, input, startedAt: new Date(startedAt) };
      let started: Promise<unknown> | null = null;
      const commitStart = () => (started ??= this.record.commit({ events: [startEvent], blocks: [startBlock] }));
      let timer: ReturnType<typeof setTimeout> | null = null;
      if (startsAtOnce(node.type, attempt, this.options.startEventDelayMs)) await commitStart();
      else timer = setTimeout(() => void commitStart().catch(() => undefined), this.options.startEventDelayMs);
      /** Events of this attempt's end, preceded by its start when that was not committed yet. */
      const logs: Array<{ level: string; message: string }> = [];
      // Console output of user code goes in the same commit as the node's end, after its start.
      const withStart = (events: EventInput[]) => [
        ...(started ? [] : [startEvent]),
        ...(logs.length > 0 ? [{ type: "node_stream" as const, nodeId: node.id, ...at, logs }] : []),
        ...events,
      ];
      const settleStart = async () => {
        if (timer) clearTimeout(timer);
        if (started) await started;
      };
      this.record.runs.set(key, { status: "running", attempt, blockType: node.type });
      // Counted while it runs, and down once its completion is queued (or it failed).
      let counted = QUICK_BLOCKS.has(node.type);
      if (counted) this.record.commits.quickStarted();
      const uncount = () => {
        if (!counted) return;
        counted = false;
        this.record.commits.quickDone();
      };
      let result: BlockResult | null = null;
      let caught: unknown = null;
      try {
        result = await this.execute(node, iteration, input, attempt, logs);
      } catch (error) {
        caught = error;
      }
      const output = result?.output ?? null;
      const outcome = attemptOutcome({
        nodeId: node.id,
        attempt,
        retry: node.retry,
        random: Math.random(),
        maxOutputBytes: this.options.limits.maxOutputBytes,
        result: result ? { outputBytes: JSON.stringify(output).length } : { failure: describeError(caught) },
      });
      if (outcome.type === "complete" && result) {
        try {
          await settleStart();
          const durationMs = this.now() - startedAt;
          const pipelined = pipelinesCompletion(node.type, started !== null);
          const completion = this.record.commit(
            {
              events: withStart([{ type: "node_complete", nodeId: node.id, ...at, output, durationMs, ...(result.metrics ? { metrics: result.metrics } : {}) }]),
              blocks: [{ ...startBlock, status: "completed", output, finishedAt: new Date(this.now()), durationMs, ...result.metrics }],
            },
            pipelined,
          );
          uncount();
          // A quick block's completion is pipelined: the next node starts while this commit is in
          // flight (commits stay in order on one chain, and the execution's end waits for it). A crash
          // before it lands only means this node runs again, as if it had crashed mid-run.
          if (pipelined) completion.catch((error: unknown) => this.asyncFailed(error));
          else await completion;
        } catch (error) {
          uncount();
          throw error;
        }
        this.record.runs.set(key, { status: "completed", attempt, output, metrics: result.metrics, blockType: node.type });
        return;
      }
      uncount();
      await settleStart().catch(() => undefined);
      if (this.record.commits.failure) throw this.record.commits.failure as Error;
      if (caught instanceof Stop || this.stopReason || caught instanceof LeaseLostError) throw this.stopReason ?? (caught as Error);
      if (caught instanceof NodeFailed || caught instanceof StoreFailure) throw caught;
      if (outcome.type === "retry") {
        const { delayMs, nextAttempt, error } = outcome;
        await this.record.commit({
          events: withStart([{ type: "node_retry", nodeId: node.id, ...at, attempt, nextAttempt, delayMs, error }]),
          blocks: [{ ...startBlock, error }],
        });
        await sleep(delayMs, this.abort.signal).catch(() => undefined);
        if (this.stopReason) throw this.stopReason as Error;
        attempt++;
        continue;
      }
      const nodeError = outcome.type === "fail" ? outcome.error : { code: "INTERNAL", message: "The block gave no result" };
      await this.record.commit({
        events: withStart([{ type: "node_error", nodeId: node.id, ...at, attempt, error: nodeError }]),
        blocks: [{ ...startBlock, status: "failed", error: nodeError, finishedAt: new Date(this.now()), durationMs: this.now() - startedAt }],
      });
      this.record.runs.set(key, { status: "failed", attempt, error: nodeError, blockType: node.type });
      throw new NodeFailed({ ...nodeError, nodeId: node.id });
    }
  }

  private async execute(node: GraphNode, iteration: string, input: unknown, attempt: number, logs: Array<{ level: string; message: string }>) {
    if (node.type === "loop") return { output: await this.runLoop(node, iteration, input) };
    if (node.type === "approval") return this.requestApproval(node, iteration, input);
    const executor = this.options.blocks.get(node.type);
    if (!executor) throw new BlockError("UNKNOWN_BLOCK", `No executor for block type "${node.type}" (node ${node.id})`);
    const signals = [this.abort.signal];
    if (node.timeoutMs) signals.push(AbortSignal.timeout(node.timeoutMs));
    const signal = AbortSignal.any(signals);
    const at = iteration ? { iteration } : {};
    const stream = createStreamer({
      flushMs: this.options.streamFlushMs,
      write: (delta) => this.record.commit({ events: [{ type: "node_stream", nodeId: node.id, ...at, delta }] }),
      onError: this.options.onError,
    });
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the lazy `scope` getter below needs the runner
    const runner = this;
    let scope: TemplateScope | undefined;
    try {
      const result = await executor.execute({
        execution: { id: this.execution.id, workspaceId: this.execution.workspaceId, flowId: this.execution.flowId },
        node,
        iteration,
        attempt,
        idempotencyKey: `${this.execution.id}:${node.id}:${iteration}`,
        input,
        // Built on first use only: most quick blocks (function, parallel) never read it, and it is
        // O(nodes) to assemble.
        get scope() {
          return (scope ??= runner.record.templateScope(input, iteration));
        },
        signal,
        stream: stream.push,
        log: (entry) => logs.push(entry),
      });
      if (signal.aborted && !this.abort.signal.aborted) throw timeoutError(node);
      return result;
    } catch (error) {
      if (signal.aborted && !this.abort.signal.aborted) throw timeoutError(node);
      throw error;
    } finally {
      await stream.flush();
    }
  }

  private async runLoop(node: GraphNode, iteration: string, input: unknown): Promise<unknown[]> {
    const config = node.config as LoopConfig;
    let items: unknown[] | null = null;
    if (config.over !== undefined) {
      const checked = loopItems(node.id, this.options.renderTemplate(config.over, this.record.templateScope(input, iteration)));
      if (!checked.ok) throw new BlockError(checked.error.code, checked.error.message);
      items = checked.items;
    }
    const outputs: unknown[] = [];
    for (let index = 0; ; index++) {
      let item: unknown;
      let more: boolean;
      if (items) {
        more = index < items.length;
        item = items[index];
      } else {
        const scope = whileScope(input, index, outputs);
        more = Boolean(await this.options.evaluate(config.while ?? "false", scope, this.abort.signal));
        item = scope.item;
      }
      const next = loopNext({ nodeId: node.id, config, index, more, parent: iteration });
      if (next.type === "done") break;
      if (next.type === "limit") throw new BlockError(next.error.code, next.error.message);
      outputs.push(await this.runScope(node.id, next.path, { item, index }));
    }
    return outputs;
  }

  /** An approval pauses the execution: the node stays running until someone decides (or it times out). */
  private requestApproval(node: GraphNode, iteration: string, input: unknown): Promise<never> {
    const config = node.config as { message?: string; timeoutMs?: number };
    const rendered = this.options.renderTemplate(config.message ?? "Approve?", this.record.templateScope(input, iteration));
    const message = typeof rendered === "string" ? rendered : JSON.stringify(rendered);
    this.approvalPending = { nodeId: node.id, iteration, message, timeoutMs: config.timeoutMs };
    return Promise.reject(new Stop("approval"));
  }

  // ---- endings ----------------------------------------------------------------------------------

  private async finish() {
    // Pipelined node commits still queued go in the same store call as the completion (drain), and
    // commits land in order: the execution completes only with (or after) all of them.
    if (this.stopReason) throw this.stopReason;
    if (this.record.commits.failure) throw this.record.commits.failure as Error;
    await this.record.end({ type: "completed", output: runOutput(this.graph.sinkIds, (id) => this.record.nodeRun(id, "")) });
  }

  /** Why the run stopped, as the pure core's ending plan reads it. */
  private causeOf(error: unknown): EndCause {
    if (error instanceof LeaseLostError) return { type: "lease_lost" };
    if (error instanceof Stop) {
      if (error.reason === "approval" && this.approvalPending) return { type: "approval", ...this.approvalPending };
      if (error.reason === "cancel") return { type: "cancel", by: this.execution.requestedBy ?? null };
      if (error.reason === "pause") return { type: "pause" };
      if (error.reason === "lease_lost") return { type: "lease_lost" };
    }
    if (error instanceof NodeFailed) return { type: "node_failed", error: error.error };
    if (error instanceof BlockError) return { type: "run_error", code: error.code, message: error.message };
    if (error instanceof StoreFailure) return { type: "store_failure", transient: isTransientStoreError(error.error) };
    return { type: "unexpected" };
  }

  private async handleEnd(error: unknown) {
    try {
      await this.record.end(this.causeOf(error), error);
    } catch (commitError) {
      if (!(commitError instanceof LeaseLostError)) this.options.onError?.(commitError);
    }
  }
}

const EMPTY_GRAPH: GraphIndex = {
  nodes: new Map(),
  sourceId: "",
  sinkIds: [],
  incoming: () => [],
  loopOf: () => null,
  loopBody: () => ({ nodeIds: [], exits: [] }),
  joinMode: () => "all",
};

function timeoutError(node: GraphNode) {
  return new BlockError("NODE_TIMEOUT", `${node.id} timed out after ${node.timeoutMs} ms`, { retryable: true });
}
