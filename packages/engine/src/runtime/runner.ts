import type { BlockExecution, FlowExecution } from "@weft/db";
import { retryChoice } from "../core/retry";
import { planScope, type ScopeGraph } from "../core/scope";
import { isTerminal, type ExecutionStatus } from "../core/status";
import { transition, type ExecutionCommand, type ExecutionError } from "../core/transition";
import { LeaseLostError } from "../store/errors";
import type { BlockUpsert, EventInput, ExecutionStore } from "../store/execution-store";
import { CommitQueue, StoreFailure, type CommitRange, type CommitRequest } from "./commit-queue";
import { BlockError, describeError, type BlockExecutor, type BlockMetrics, type TemplateScope } from "./block";
import { indexGraph, type GraphIndex, type GraphNode } from "./graph";
import { createMasker, maskCommit, type Masker, type RunVariables } from "./mask";

/** How a run ended (its committed, masked output and error). */
export type RunEnd = { status: ExecutionStatus; output: unknown; error: unknown };

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

type RunState = {
  status: BlockExecution["status"];
  attempt: number;
  output?: unknown;
  error?: { code: string; message: string } | null;
  metrics?: BlockMetrics;
  blockType: string;
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

/** Blocks that usually finish in well under a millisecond or two (no I/O). */
const QUICK_BLOCKS = new Set(["source", "sink", "function", "router", "parallel"]);

const keyOf = (nodeId: string, iteration: string) => `${nodeId}\u0000${iteration}`;
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });

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
  private readonly runs = new Map<string, RunState>();
  private readonly abort = new AbortController();
  private stopReason: Stop | null = null;
  private approvalPending: { nodeId: string; iteration: string; message: string; timeoutMs?: number } | null = null;
  private status: ExecutionStatus;
  private readonly commits: CommitQueue;
  private readonly now: () => number;
  private readonly mask: Masker | null;
  private startedAt: number;

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
    this.status = execution.status;
    this.commits = new CommitQueue({
      write: (input) =>
        options.store.commit({ ...input, executionId: execution.id, owner: options.owner, leaseMs: input.release ? undefined : options.leaseMs }),
      groupCommitMs: options.groupCommitMs ?? 0,
      maxEvents: options.limits.maxEvents,
      lastEventIndex: execution.nextEventIndex - 1,
      stopping: () => this.stopReason !== null || this.abort.signal.aborted,
    });
    this.now = options.now ?? Date.now;
    this.mask = options.variables?.secrets.length ? createMasker(options.variables.secrets) : null;
    this.startedAt = execution.startedAt?.getTime() ?? this.now();
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

  /** A pipelined commit failed: stop everything; the error surfaces at the next scope step. */
  private asyncFailed(error: unknown) {
    if (error instanceof LeaseLostError) return this.stop("lease_lost");
    this.commits.failure ??= error;
    if (!this.abort.signal.aborted) this.abort.abort(error);
  }

  /** Aborts in-flight work for a reason (command from another process, or the lease was lost). */
  stop(reason: "lease_lost" | "cancel" | "pause") {
    if (this.stopReason) return;
    this.stopReason = new Stop(reason);
    this.abort.abort(this.stopReason);
  }

  /** How the run ended, as committed (masked), once it ended here: the in-process sync wait reads it. */
  private ending: RunEnd | null = null;

  /** Runs until the end or a pause; the committed end (null when it stopped without ending). */
  async run(): Promise<RunEnd | null> {
    const heartbeat = setInterval(() => void this.beat(), this.options.heartbeatMs);
    try {
      if (this.execution.requestedCommand) this.stop(this.execution.requestedCommand);
      if (this.status === "paused") {
        await this.expireApproval();
        return this.ending;
      }
      if (this.invalid) {
        if (this.status === "pending") await this.transition({ type: "start" }, { set: { startedAt: new Date(this.now()) } });
        throw new NodeFailed(this.invalid);
      }
      if (this.status === "pending") {
        this.startedAt = this.now();
        await this.transition({ type: "start" }, { set: { startedAt: new Date(this.startedAt) } });
      } else if (this.execution.nextEventIndex === 0) {
        // Dispatched directly (created running, with our lease): the start event goes with the first
        // node commit. A crash before it lands leaves a running run with no events, which whoever
        // claims it next starts the same way.
        this.commit({ events: [{ type: "execution_start" }] }, true).catch((error: unknown) => this.asyncFailed(error));
      }
      await this.runScope(null, "", undefined);
      await this.finish();
    } catch (error) {
      await this.handleEnd(error);
    } finally {
      clearInterval(heartbeat);
    }
    return this.ending;
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
      if (this.commits.failure) failure ??= this.commits.failure;
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
        state: (nodeId, at) => this.runs.get(keyOf(nodeId, at)),
        inFlight: (nodeId) => inFlight.has(keyOf(nodeId, iteration)),
      });
      if (skip.length > 0) {
        await this.commit({
          events: skip.map((s) => ({ type: "node_skipped", nodeId: s.nodeId, ...(iteration ? { iteration } : {}), reason: s.reason })),
          blocks: skip.map((s) => ({ nodeId: s.nodeId, iteration, blockType: this.node(s.nodeId).type, status: "skipped" })),
        });
        for (const s of skip) this.runs.set(keyOf(s.nodeId, iteration), { status: "skipped", attempt: 0, blockType: this.node(s.nodeId).type });
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
    // The iteration's output: its exit node's output, or an object keyed by exit id when several.
    const exits = this.graph.loopBody(loopId).exits.filter((id) => this.runs.get(keyOf(id, iteration))?.status === "completed");
    if (exits.length === 1) return this.runs.get(keyOf(exits[0]!, iteration))?.output;
    return Object.fromEntries(exits.map((id) => [id, this.runs.get(keyOf(id, iteration))?.output]));
  }

  private node(id: string): GraphNode {
    const node = this.graph.nodes.get(id);
    if (!node) throw new Error(`unknown node ${id}`);
    return node;
  }

  // ---- nodes ------------------------------------------------------------------------------------

  private async runNode(node: GraphNode, iteration: string, input: unknown): Promise<void> {
    const key = keyOf(node.id, iteration);
    const previous = this.runs.get(key);
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
      const commitStart = () => (started ??= this.commit({ events: [startEvent], blocks: [startBlock] }));
      let timer: ReturnType<typeof setTimeout> | null = null;
      if (attempt > 1 || !QUICK_BLOCKS.has(node.type) || this.options.startEventDelayMs <= 0) await commitStart();
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
      this.runs.set(key, { status: "running", attempt, blockType: node.type });
      // Counted while it runs, and down once its completion is queued (or it failed).
      let counted = QUICK_BLOCKS.has(node.type);
      if (counted) this.commits.quickStarted();
      const uncount = () => {
        if (!counted) return;
        counted = false;
        this.commits.quickDone();
      };
      try {
        const result = await this.execute(node, iteration, input, attempt, logs);
        const size = JSON.stringify(result.output ?? null).length;
        if (size > this.options.limits.maxOutputBytes) {
          throw new BlockError("OUTPUT_LIMIT", `The output of ${node.id} is ${size} bytes, over the limit of ${this.options.limits.maxOutputBytes} bytes`);
        }
        await settleStart();
        const durationMs = this.now() - startedAt;
        const pipelined = QUICK_BLOCKS.has(node.type) && !started;
        const completion = this.commit(
          {
          events: withStart([{ type: "node_complete", nodeId: node.id, ...at, output: result.output ?? null, durationMs, ...(result.metrics ? { metrics: result.metrics } : {}) }]),
          blocks: [
            {
              nodeId: node.id,
              iteration,
              blockType: node.type,
              status: "completed",
              attempt,
              input,
              output: result.output ?? null,
              startedAt: new Date(startedAt),
              finishedAt: new Date(this.now()),
              durationMs,
              ...result.metrics,
            },
          ],
          },
          pipelined,
        );
        uncount();
        // A quick block's completion is pipelined: the next node starts while this commit is in flight
        // (commits stay in order on one chain, and the execution's end waits for it). A crash before it
        // lands only means this node runs again, as if it had crashed mid-run.
        if (pipelined) {
          completion.catch((error: unknown) => this.asyncFailed(error));
        } else {
          await completion;
        }
        this.runs.set(key, { status: "completed", attempt, output: result.output ?? null, metrics: result.metrics, blockType: node.type });
        return;
      } catch (error) {
        uncount();
        await settleStart().catch(() => undefined);
        if (this.commits.failure) throw this.commits.failure as Error;
        if (error instanceof Stop || this.stopReason || error instanceof LeaseLostError) throw this.stopReason ?? error;
        if (error instanceof NodeFailed || error instanceof StoreFailure) throw error;
        const described = describeError(error);
        const choice = retryChoice(described, attempt, node.retry, Math.random());
        if (choice.retry) {
          const { delayMs, nextAttempt } = choice;
          await this.commit({
            events: withStart([{ type: "node_retry", nodeId: node.id, ...at, attempt, nextAttempt, delayMs, error: { code: described.code, message: described.message } }]),
            blocks: [{ ...startBlock, error: { code: described.code, message: described.message } }],
          });
          await sleep(delayMs, this.abort.signal).catch(() => undefined);
          if (this.stopReason) throw this.stopReason as Error;
          attempt++;
          continue;
        }
        const nodeError = { code: described.code, message: described.message };
        await this.commit({
          events: withStart([{ type: "node_error", nodeId: node.id, ...at, attempt, error: nodeError }]),
          blocks: [{ ...startBlock, status: "failed", error: nodeError, finishedAt: new Date(this.now()), durationMs: this.now() - startedAt }],
        });
        this.runs.set(key, { status: "failed", attempt, error: nodeError, blockType: node.type });
        throw new NodeFailed({ ...nodeError, nodeId: node.id });
      }
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
    const stream = this.streamer(node.id, iteration);
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
          return (scope ??= runner.templateScope(input, iteration));
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
    const config = node.config as { over?: string; while?: string; maxIterations?: number };
    const max = config.maxIterations ?? 100;
    const items = config.over !== undefined ? this.options.renderTemplate(config.over, this.templateScope(input, iteration)) : undefined;
    if (config.over !== undefined && !Array.isArray(items)) {
      throw new BlockError("LOOP_NOT_ARRAY", `Loop ${node.id}: "over" must give an array, got ${items === null ? "null" : typeof items}`);
    }
    const outputs: unknown[] = [];
    for (let index = 0; ; index++) {
      let item: unknown;
      if (Array.isArray(items)) {
        if (index >= items.length) break;
        item = items[index];
      } else {
        const scope = { input, iteration: index, item: index === 0 ? input : outputs[index - 1], outputs };
        if (!(await this.options.evaluate(config.while ?? "false", scope, this.abort.signal))) break;
        item = scope.item;
      }
      if (index >= max) throw new BlockError("LOOP_LIMIT", `Loop ${node.id} reached its maxIterations limit of ${max}`);
      const path = iteration ? `${iteration}.${index}` : String(index);
      outputs.push(await this.runScope(node.id, path, { item, index }));
    }
    return outputs;
  }

  /** An approval pauses the execution: the node stays running until someone decides (or it times out). */
  private requestApproval(node: GraphNode, iteration: string, input: unknown): Promise<never> {
    const config = node.config as { message?: string; timeoutMs?: number };
    const rendered = this.options.renderTemplate(config.message ?? "Approve?", this.templateScope(input, iteration));
    const message = typeof rendered === "string" ? rendered : JSON.stringify(rendered);
    this.approvalPending = { nodeId: node.id, iteration, message, timeoutMs: config.timeoutMs };
    return Promise.reject(new Stop("approval"));
  }

  private templateScope(input: unknown, iteration: string): TemplateScope {
    const nodes: Record<string, { output: unknown }> = {};
    const depthOf = (it: string) => (it ? it.split(".").length : 0);
    const best = new Map<string, number>();
    for (const [key, run] of this.runs) {
      if (run.status !== "completed") continue;
      const [nodeId, runIteration] = key.split("\u0000") as [string, string];
      const visible = runIteration === "" || iteration === runIteration || iteration.startsWith(`${runIteration}.`);
      if (!visible || (best.get(nodeId) ?? -1) > depthOf(runIteration)) continue;
      best.set(nodeId, depthOf(runIteration));
      nodes[nodeId] = { output: run.output };
    }
    const runInput = this.execution.input as { trigger?: unknown } | null;
    return { input, nodes, trigger: runInput && typeof runInput === "object" ? (runInput.trigger ?? null) : null, env: this.options.variables?.env ?? {} };
  }

  /** Buffers streamed text and commits it as one `node_stream` event per window. */
  private streamer(nodeId: string, iteration: string) {
    let buffer = "";
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = async () => {
      if (timer) clearTimeout(timer);
      timer = null;
      if (!buffer) return;
      const delta = buffer;
      buffer = "";
      await this.commit({ events: [{ type: "node_stream", nodeId, ...(iteration ? { iteration } : {}), delta }] }).catch((error: unknown) => {
        this.options.onError?.(error);
      });
    };
    return {
      push: (delta: string) => {
        buffer += delta;
        timer ??= setTimeout(() => void flush(), this.options.streamFlushMs);
      },
      flush,
    };
  }

  // ---- endings ----------------------------------------------------------------------------------

  private async finish() {
    // Pipelined node commits still queued go in the same store call as the completion (drain), and
    // commits land in order: the execution completes only with (or after) all of them.
    if (this.stopReason) throw this.stopReason;
    if (this.commits.failure) throw this.commits.failure as Error;
    const sinks = this.graph.sinkIds.filter((id) => this.runs.get(keyOf(id, ""))?.status === "completed");
    const output = sinks.length === 1 ? this.runs.get(keyOf(sinks[0]!, ""))?.output : Object.fromEntries(sinks.map((id) => [id, this.runs.get(keyOf(id, ""))?.output]));
    await this.transition({ type: "complete", output: output ?? null }, { set: { output: output ?? null, ...this.totals() }, release: true });
  }

  private async handleEnd(error: unknown) {
    try {
      if (error instanceof LeaseLostError || (error instanceof Stop && error.reason === "lease_lost")) return;
      if (error instanceof Stop && error.reason === "approval" && this.approvalPending) {
        const { nodeId, iteration, message, timeoutMs } = this.approvalPending;
        await this.transition(
          { type: "pause", reason: "approval", nodeId },
          {
            events: [{ type: "approval_requested", nodeId, ...(iteration ? { iteration } : {}), message, ...(timeoutMs ? { timeoutMs } : {}) }],
            set: { wakeAt: timeoutMs ? new Date(this.now() + timeoutMs) : null },
            release: true,
          },
        );
        return;
      }
      if (error instanceof Stop && error.reason === "cancel") {
        await this.transition(
          { type: "cancel", by: this.execution.requestedBy },
          { set: { requestedCommand: null, ...this.totals() }, blocks: this.inFlightBlocks("failed"), release: true },
        );
        return;
      }
      if (error instanceof Stop && error.reason === "pause") {
        await this.transition({ type: "pause", reason: "user" }, { set: { requestedCommand: null }, blocks: this.inFlightBlocks("pending"), release: true });
        return;
      }
      const failure: ExecutionError =
        error instanceof NodeFailed
          ? error.error
          : error instanceof BlockError
            ? { code: error.code, message: error.message }
            : { code: "INTERNAL", message: "The engine failed while running this execution" };
      if (!(error instanceof NodeFailed) && !(error instanceof BlockError)) this.options.onError?.(error);
      await this.transition({ type: "fail", error: failure }, { set: { error: failure, ...this.totals() }, release: true });
    } catch (commitError) {
      if (!(commitError instanceof LeaseLostError)) this.options.onError?.(commitError);
    }
  }

  private inFlightBlocks(status: "failed" | "pending"): BlockUpsert[] {
    const rows: BlockUpsert[] = [];
    for (const [key, run] of this.runs) {
      if (run.status !== "running") continue;
      const [nodeId, iteration] = key.split("\u0000") as [string, string];
      rows.push({ nodeId, iteration, blockType: run.blockType, status, ...(status === "failed" ? { error: { code: "CANCELLED", message: "The execution was cancelled" } } : {}) });
    }
    return rows;
  }

  /** Metrics summed over the execution's blocks; cost is unknown (null) when any AI block's cost was. */
  private totals() {
    let tokensIn = 0;
    let tokensOut = 0;
    let cost = 0;
    let costKnown = true;
    for (const run of this.runs.values()) {
      const m = run.metrics;
      if (!m) continue;
      tokensIn += m.tokensIn ?? 0;
      tokensOut += m.tokensOut ?? 0;
      if (m.costUsd === null && (m.tokensIn != null || m.tokensOut != null)) costKnown = false;
      else if (m.costUsd != null) cost += Number(m.costUsd);
    }
    const startedAt = this.startedAt;
    return {
      tokensIn,
      tokensOut,
      costUsd: costKnown ? cost.toFixed(8) : null,
      finishedAt: new Date(this.now()),
      durationMs: this.now() - startedAt,
    };
  }

  // ---- persistence -------------------------------------------------------------------------------

  /** An execution status change: checked by the pure table, then committed with its events. */
  private async transition(
    command: ExecutionCommand,
    extra: { set?: Parameters<ExecutionStore["commit"]>[0]["set"]; events?: EventInput[]; blocks?: BlockUpsert[]; release?: boolean } = {},
  ) {
    const result = transition(this.status, command);
    if (!result.ok) throw new Error(result.message);
    const emitted = result.effects.flatMap((e) => (e.type === "emit" ? [e.event] : []));
    await this.commit({
      from: [result.from],
      to: result.to,
      action: command.type,
      set: extra.set,
      events: [...(extra.events ?? []), ...emitted],
      blocks: extra.blocks,
      release: extra.release,
    });
    this.status = result.to;
    if (isTerminal(result.to)) {
      const masked = this.mask ? this.mask({ output: extra.set?.output ?? null, error: extra.set?.error ?? null }) : { output: extra.set?.output ?? null, error: extra.set?.error ?? null };
      this.ending = { status: result.to, ...masked };
    }
  }

  /** Queues a commit (masked) on the run's commit queue. */
  private commit(request: CommitRequest, pipelined = false): Promise<CommitRange> {
    return this.commits.push(this.mask ? maskCommit(request, this.mask) : request, pipelined);
  }

  /** An approval whose deadline passed while paused: the node fails, and so does the execution. */
  private async expireApproval() {
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
