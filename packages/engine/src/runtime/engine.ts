import { randomUUID } from "node:crypto";
import type { BlockExecution, Db, FlowExecution, NotifyBus, Unsubscribe } from "@weft/db";
import { createExecutionStore, WORK_CHANNEL, type ExecutionStore } from "../store/execution-store";
import type { BlockExecutor } from "./block";
import type { RunVariables } from "./mask";
import { ExecutionRunner, type RunEnd, type RunnerOptions } from "./runner";

export type EngineOptions = {
  db: Db;
  bus: NotifyBus;
  blocks: BlockExecutor[];
  renderTemplate: RunnerOptions["renderTemplate"];
  evaluate: RunnerOptions["evaluate"];
  /** This process's name in leases (default: a random id). */
  owner?: string;
  leaseMs?: number;
  heartbeatMs?: number;
  /** How often to look for work nobody announced (crash recovery, due approvals). */
  pollMs?: number;
  /** Executions run at once by this process. */
  maxExecutions?: number;
  maxConcurrencyPerExecution?: number;
  limits?: Partial<RunnerOptions["limits"]>;
  streamFlushMs?: number;
  startEventDelayMs?: number;
  /** Group commit window of pipelined quick-block completions (RunnerOptions.groupCommitMs). */
  groupCommitMs?: number;
  /** Workspace variables for `{{ env.NAME }}` (decrypted), loaded when a run is claimed; secrets are masked. */
  getVariables?: (input: { workspaceId: string }) => Promise<RunVariables>;
  onError?: (error: unknown) => void;
};

/**
 * The engine of one process: claims executions (new ones announced by NOTIFY, and on start and
 * periodically any whose lease expired), runs each with an ExecutionRunner, and forwards commands
 * (cancel/pause) announced by NOTIFY to the runner at once. Stateless between runs: everything
 * another process needs is in the database.
 */
export function createEngine(options: EngineOptions) {
  const owner = options.owner ?? `engine-${randomUUID()}`;
  const leaseMs = options.leaseMs ?? 30_000;
  const store: ExecutionStore = createExecutionStore({ db: options.db, bus: options.bus });
  const runners = new Map<string, ExecutionRunner>();
  const running = new Set<Promise<void>>();
  const blocks = new Map(options.blocks.map((b) => [b.type, b]));
  const runnerOptions: RunnerOptions = {
    store,
    blocks,
    owner,
    leaseMs,
    heartbeatMs: options.heartbeatMs ?? Math.floor(leaseMs / 3),
    maxConcurrency: options.maxConcurrencyPerExecution ?? 8,
    limits: { maxEvents: 100_000, maxOutputBytes: 4 * 1024 * 1024, ...options.limits },
    renderTemplate: options.renderTemplate,
    evaluate: options.evaluate,
    streamFlushMs: options.streamFlushMs ?? 100,
    startEventDelayMs: options.startEventDelayMs ?? 50,
    groupCommitMs: options.groupCommitMs ?? 10,
    onError: options.onError,
  };
  const maxExecutions = options.maxExecutions ?? 50;
  let unlisten: Unsubscribe | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let stopped = true;
  let polling: Promise<void> | null = null;

  /** Runs of this process: the promise of each one's end (null: it stopped without ending here). */
  const local = new Map<string, Promise<RunEnd | null>>();

  /** Runs an execution this process holds the lease of (claimed, or created with `lease()`). */
  function launch(execution: FlowExecution, blocks: BlockExecution[] | null, known?: RunVariables): Promise<RunEnd | null> {
    const task = (async () => {
      // A claimed run is loaded (its blocks, its current row); a directly dispatched one was just
      // inserted by this process and has no block rows: nothing is read back.
      const loaded = blocks ? { execution, blocks } : await store.load(execution.id);
      if (!loaded) return null;
      const variables = known ?? (options.getVariables ? await options.getVariables({ workspaceId: loaded.execution.workspaceId }) : undefined);
      const runner = new ExecutionRunner(variables ? { ...runnerOptions, variables } : runnerOptions, loaded.execution, loaded.blocks);
      runners.set(execution.id, runner);
      if (stopped) runner.stop("lease_lost");
      return runner.run();
    })()
      .catch((error: unknown) => {
        options.onError?.(error);
        return null;
      })
      .finally(() => {
        runners.delete(execution.id);
        local.delete(execution.id);
        running.delete(settled);
        // A slot is free: look for work if some may have been left waiting for one.
        if (saturated) void tick();
      });
    const settled = task.then(() => undefined);
    local.set(execution.id, task);
    running.add(settled);
    return task;
  }

  /** Work may be waiting for a free slot (this process was full, or claimed as much as it could). */
  let saturated = false;

  async function poll(onlyId?: string): Promise<void> {
    if (stopped) return;
    const free = maxExecutions - local.size;
    if (free <= 0) {
      saturated = true;
      return;
    }
    if (!onlyId) saturated = false;
    const claimed = await store.claim({ owner, leaseMs, limit: free, onlyId });
    if (!onlyId && claimed.length === free) saturated = true;
    for (const execution of claimed) void launch(execution, null);
  }

  function tick(onlyId?: string): Promise<void> {
    if (onlyId) return poll(onlyId).catch((error: unknown) => options.onError?.(error));
    polling ??= poll()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        polling = null;
      });
    return polling;
  }

  return {
    owner,
    store,
    /**
     * Direct dispatch: the lease to create a run with (`store.create(..., start)`) when this process
     * can run it at once, else null (stopped, or at `maxExecutions`; the run is then created pending
     * and claimed by whoever is free).
     */
    lease(): { owner: string; leaseMs: number } | null {
      return stopped || local.size >= maxExecutions ? null : { owner, leaseMs };
    },
    /**
     * Runs a run just created with `lease()`, once its insert committed; resolves with its end.
     * `variables`: the workspace's variables when the caller read them already (else getVariables).
     */
    adopt(execution: FlowExecution, variables?: RunVariables): Promise<RunEnd | null> {
      if (stopped) {
        // Hand it over at once rather than letting the lease expire.
        void store
          .release({ executionId: execution.id, owner })
          .then(() => store.notifyWork(execution.id))
          .catch((error: unknown) => options.onError?.(error));
        return Promise.resolve(null);
      }
      return launch(execution, [], variables);
    },
    /** The end of a run this process is running (null when it is not running it). */
    ended(executionId: string): Promise<RunEnd | null> | null {
      return local.get(executionId) ?? null;
    },
    async start() {
      if (!stopped) return;
      stopped = false;
      unlisten = await options.bus.listen(WORK_CHANNEL, (executionId) => {
        const runner = runners.get(executionId);
        // A command for an execution we run: check it now rather than at the next heartbeat.
        if (runner) void runner.beat();
        else void tick(executionId);
      });
      timer = setInterval(() => void tick(), options.pollMs ?? 2_000);
      await tick();
    },
    /** Stops claiming work; in-flight executions keep their lease and are resumed by whoever claims them next. */
    async stop({ release = true }: { release?: boolean } = {}) {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await unlisten?.();
      unlisten = null;
      const ids = [...local.keys()];
      for (const runner of runners.values()) runner.stop("lease_lost");
      await Promise.allSettled([...running]);
      if (release) {
        // Hand over at once instead of waiting for the leases to expire.
        await Promise.all(ids.map((executionId) => store.release({ executionId, owner })));
      }
    },
    /** Resolves when this process runs nothing (tests, graceful shutdown). */
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    tick,
    get active() {
      return local.size;
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;
