// A small process-wide pool of worker threads that run sandbox jobs (see README.md for why
// threads: QuickJS runs synchronously, so on the calling thread a `while(true){}` would freeze the
// engine's event loop — leases, SSE, other executions — for the whole timeout, and an AbortSignal
// could never fire mid-run).
//
// - Each worker loads the QuickJS WebAssembly module once and runs one job at a time.
// - Workers start on demand (up to MAX_WORKERS); idle workers beyond the first are stopped after
//   IDLE_MS; idle workers are unref'd so they never keep the process alive.
// - Abort: the host writes the job id into a SharedArrayBuffer that the worker's QuickJS interrupt
//   handler reads; if the worker has not answered ABORT_KILL_MS later it is terminated.
// - Safety net: a worker that has not answered by timeout + HARD_KILL_GRACE_MS (stuck in native
//   code that never polls the interrupt handler) is terminated and the job fails with TIMEOUT.
// - A worker that reports `recycle` (QuickJS aborted or leaked, or its WebAssembly memory grew
//   past RECYCLE_WASM_BYTES — linear memory never shrinks) is replaced.
// - The memory limit is enforced as the maximum size of a worker's WebAssembly memory, so a worker
//   serves one `memoryLimitBytes`; runs with another limit get (or, when the pool is full, take
//   over an idle slot for) a worker of their own.
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { SandboxError } from "./errors";
import { DESCRIBE_SOURCE, FORMATTER_SOURCE, MICROTASK_SOURCE } from "./prelude";
import type { JobReply, JobRequest, WorkerBoot, WorkerMessage } from "./protocol";
import { sandboxWorkerMain } from "./worker-main";

/** Upper bound on concurrent sandbox runs per process (further runs queue). */
export const MAX_WORKERS = Math.min(4, Math.max(2, availableParallelism()));
const IDLE_MS = 30_000;
const ABORT_KILL_MS = 250;
const HARD_KILL_GRACE_MS = 1_000;
const RECYCLE_WASM_BYTES = 64 * 1024 * 1024;
/**
 * WebAssembly memory beyond the QuickJS heap limit: the 5 MiB C stack and static data of the
 * build, the runtime itself, and copies of strings passed in and out.
 */
const WASM_OVERHEAD_BYTES = 16 * 1024 * 1024;
/**
 * QuickJS's own stack limit, and the worker thread's native stack. Measured: WebAssembly frames
 * of QuickJS's parser use up to ~30x more native stack than QuickJS accounts for, so with a
 * smaller ratio deeply nested source (`eval("(".repeat(1e5) ...)`) overflows V8's stack
 * inside WebAssembly instead of raising QuickJS's clean "stack overflow". 512 KiB allows ~2,700
 * levels of plain JS recursion; 32 MiB of native stack is a 64x ratio (2x the worst seen).
 */
export const MAX_STACK_BYTES = 512 * 1024;
const WORKER_STACK_MB = 32;

type JobInput = Omit<JobRequest, "type" | "id">;

interface PendingJob {
  id: number;
  request: JobRequest;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  resolve: (reply: JobReply) => void;
  reject: (error: SandboxError) => void;
  worker: PooledWorker | undefined;
  timers: NodeJS.Timeout[];
}

interface PooledWorker {
  worker: Worker;
  memoryLimitBytes: number;
  abortFlag: Int32Array;
  ready: boolean;
  readyPromise: Promise<void>;
  job: PendingJob | undefined;
  idleTimer: NodeJS.Timeout | undefined;
  gone: boolean;
}

export interface SandboxPoolStats {
  workers: number;
  busy: number;
  queued: number;
  /** Workers started / replaced since the pool was created. */
  started: number;
  recycled: number;
  killed: number;
}

function resolvePaths(): string[] {
  const paths: string[] = [];
  try {
    const here = import.meta.url;
    if (here.startsWith("file:")) paths.push(path.dirname(fileURLToPath(here)));
  } catch {
    // bundled without a file URL: fall back to the working directory
  }
  paths.push(process.cwd());
  return paths;
}

// `__name` covers tsx/esbuild's keepNames helper, which can appear inside the stringified function.
const WORKER_SOURCE = `"use strict";
var __name = function (target) { return target; };
var threads = require("node:worker_threads");
(${sandboxWorkerMain.toString()})(require, threads.workerData, threads.parentPort);
`;

let nextJobId = 1;
function newJobId(): number {
  const id = nextJobId;
  nextJobId = nextJobId >= 0x7ffffff0 ? 1 : nextJobId + 1;
  return id;
}

export class SandboxPool {
  private readonly workers = new Set<PooledWorker>();
  private readonly queue: PendingJob[] = [];
  private readonly paths = resolvePaths();
  private closed = false;
  private readonly counters = { started: 0, recycled: 0, killed: 0 };

  constructor(private readonly maxWorkers = MAX_WORKERS) {}

  stats(): SandboxPoolStats {
    let busy = 0;
    for (const w of this.workers) if (w.job) busy++;
    return { workers: this.workers.size, busy, queued: this.queue.length, ...this.counters };
  }

  /**
   * Make sure a worker for this memory limit is up (module loaded) when the pool has room, or at
   * least one worker; rejects if QuickJS cannot be loaded.
   */
  async warm(memoryLimitBytes: number): Promise<void> {
    const live = [...this.workers].filter((w) => !w.gone);
    const existing = live.find((w) => w.memoryLimitBytes === memoryLimitBytes) ?? (live.length >= this.maxWorkers ? live[0] : undefined);
    await (existing ?? this.spawn(memoryLimitBytes)).readyPromise;
  }

  run(input: JobInput, signal: AbortSignal | undefined): Promise<JobReply> {
    if (this.closed) return Promise.reject(new SandboxError("INTERNAL", "the sandbox pool is closed"));
    return new Promise<JobReply>((resolve, reject) => {
      const id = newJobId();
      const job: PendingJob = {
        id,
        request: { type: "job", id, ...input },
        signal,
        onAbort: undefined,
        resolve,
        reject,
        worker: undefined,
        timers: [],
      };
      if (signal?.aborted) {
        reject(new SandboxError("ABORTED", `${input.label} was aborted`));
        return;
      }
      if (signal) {
        job.onAbort = () => this.abort(job);
        signal.addEventListener("abort", job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, new SandboxError("INTERNAL", "the sandbox pool was closed"));
    await Promise.all([...this.workers].map((w) => this.retire(w, "killed", new SandboxError("INTERNAL", "the sandbox pool was closed"))));
  }

  private pump(): void {
    if (this.closed) return;
    // 1. Oldest first, to an idle worker with the job's memory limit.
    for (let i = 0; i < this.queue.length; ) {
      const job = this.queue[i];
      const idle = job && this.idleWorker(job.request.memoryLimitBytes);
      if (job && idle) {
        this.queue.splice(i, 1);
        this.dispatch(idle, job);
      } else {
        i++;
      }
    }
    if (this.queue.length === 0) return;
    // 2. Start workers for what still waits (one per waiting job, within MAX_WORKERS), replacing
    //    idle workers of limits nobody is waiting for when the pool is full.
    const waiting = new Map<number, number>();
    for (const job of this.queue) {
      const limit = job.request.memoryLimitBytes;
      waiting.set(limit, (waiting.get(limit) ?? 0) + 1);
    }
    for (const [limit, count] of waiting) {
      let starting = [...this.workers].filter((w) => !w.ready && !w.gone && w.memoryLimitBytes === limit).length;
      while (starting < count) {
        if (this.workers.size >= this.maxWorkers) {
          const spare = [...this.workers].find((w) => w.ready && !w.gone && !w.job && !waiting.has(w.memoryLimitBytes));
          if (!spare) break;
          void this.retire(spare, "recycled");
        }
        this.spawn(limit);
        starting++;
      }
    }
  }

  private idleWorker(memoryLimitBytes: number): PooledWorker | undefined {
    for (const w of this.workers) {
      if (w.ready && !w.gone && !w.job && w.memoryLimitBytes === memoryLimitBytes) return w;
    }
    return undefined;
  }

  private spawn(memoryLimitBytes: number): PooledWorker {
    const abortFlag = new Int32Array(new SharedArrayBuffer(4));
    const boot: WorkerBoot = {
      resolvePaths: this.paths,
      formatterSource: FORMATTER_SOURCE,
      describeSource: DESCRIBE_SOURCE,
      microtaskSource: MICROTASK_SOURCE,
      abortFlag,
      recycleWasmBytes: RECYCLE_WASM_BYTES,
      wasmMemoryMaxBytes: memoryLimitBytes + WASM_OVERHEAD_BYTES,
    };
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: boot,
      // Nothing of the host's environment or flags (loaders, --inspect) is needed in the worker.
      env: {},
      execArgv: [],
      resourceLimits: { stackSizeMb: WORKER_STACK_MB },
      name: "weft-sandbox",
    });
    this.counters.started++;
    let markReady: () => void = () => {};
    let markFailed: (error: Error) => void = () => {};
    const readyPromise = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    // warm() may never be awaited for this worker; do not let a failed start be "unhandled".
    readyPromise.catch(() => {});
    const pooled: PooledWorker = {
      worker,
      memoryLimitBytes,
      abortFlag,
      ready: false,
      readyPromise,
      job: undefined,
      idleTimer: undefined,
      gone: false,
    };
    this.workers.add(pooled);

    worker.on("message", (message: WorkerMessage) => {
      if (message.type === "ready") {
        pooled.ready = true;
        markReady();
        this.becomeIdle(pooled);
        this.pump();
        return;
      }
      if (message.type === "fatal") {
        const error = new SandboxError("INTERNAL", `sandbox worker failed to start: ${message.message}`);
        markFailed(error);
        void this.retire(pooled, "killed", error);
        // Without QuickJS nothing can run: fail what is waiting rather than respawning forever.
        for (const job of this.queue.splice(0)) this.settle(job, error);
        return;
      }
      this.onReply(pooled, message);
    });
    worker.on("error", (error) => {
      const failure = new SandboxError("INTERNAL", `sandbox worker crashed: ${error.message}`);
      markFailed(failure);
      void this.retire(pooled, "killed", failure);
    });
    worker.on("exit", (code) => {
      if (pooled.gone) return;
      const failure = new SandboxError("INTERNAL", `sandbox worker exited unexpectedly (code ${code})`);
      markFailed(failure);
      void this.retire(pooled, "killed", failure);
    });
    return pooled;
  }

  private dispatch(pooled: PooledWorker, job: PendingJob): void {
    if (pooled.idleTimer) clearTimeout(pooled.idleTimer);
    pooled.idleTimer = undefined;
    pooled.job = job;
    job.worker = pooled;
    pooled.worker.ref();
    const hardLimit = setTimeout(() => {
      if (pooled.job !== job) return;
      void this.retire(pooled, "killed", new SandboxError("TIMEOUT", `${job.request.label} timed out after ${job.request.timeoutMs} ms`), true);
    }, job.request.timeoutMs + HARD_KILL_GRACE_MS);
    hardLimit.unref();
    job.timers.push(hardLimit);
    pooled.worker.postMessage(job.request);
  }

  private abort(job: PendingJob): void {
    const error = new SandboxError("ABORTED", `${job.request.label} was aborted`);
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.settle(job, error);
      return;
    }
    const pooled = job.worker;
    if (!pooled || pooled.job !== job) return;
    Atomics.store(pooled.abortFlag, 0, job.id);
    const kill = setTimeout(() => {
      if (pooled.job === job) void this.retire(pooled, "killed", error, true);
    }, ABORT_KILL_MS);
    kill.unref();
    job.timers.push(kill);
  }

  private onReply(pooled: PooledWorker, reply: JobReply): void {
    const job = pooled.job;
    if (!job || job.id !== reply.id) return;
    pooled.job = undefined;
    this.settle(job, reply);
    if (reply.recycle) {
      void this.retire(pooled, "recycled", undefined, true);
    } else {
      this.becomeIdle(pooled);
    }
    this.pump();
  }

  private settle(job: PendingJob, outcome: JobReply | SandboxError): void {
    for (const timer of job.timers) clearTimeout(timer);
    job.timers = [];
    if (job.signal && job.onAbort) job.signal.removeEventListener("abort", job.onAbort);
    job.onAbort = undefined;
    if (outcome instanceof SandboxError) job.reject(outcome);
    else job.resolve(outcome);
  }

  private becomeIdle(pooled: PooledWorker): void {
    if (pooled.gone) return;
    pooled.worker.unref();
    if (pooled.idleTimer) clearTimeout(pooled.idleTimer);
    pooled.idleTimer = setTimeout(() => {
      pooled.idleTimer = undefined;
      if (!pooled.job && this.workers.size > 1) void this.retire(pooled, "recycled");
    }, IDLE_MS);
    pooled.idleTimer.unref();
  }

  /**
   * Remove a worker from the pool and terminate it; its running job (if any) fails with `error`.
   * `keepWarm`: if it was the last worker, start a replacement so the next run does not pay the
   * start-up (not after a crash or a failed start, which would only repeat).
   */
  private async retire(pooled: PooledWorker, reason: "killed" | "recycled", error?: SandboxError, keepWarm = false): Promise<void> {
    if (pooled.gone) return;
    pooled.gone = true;
    this.workers.delete(pooled);
    if (keepWarm && !this.closed && this.workers.size === 0) this.spawn(pooled.memoryLimitBytes);
    this.counters[reason]++;
    if (pooled.idleTimer) clearTimeout(pooled.idleTimer);
    const job = pooled.job;
    pooled.job = undefined;
    if (job) this.settle(job, error ?? new SandboxError("INTERNAL", "the sandbox worker was stopped"));
    try {
      await pooled.worker.terminate();
    } catch {
      // already gone
    }
    if (!this.closed) this.pump();
  }
}

let shared: SandboxPool | undefined;

/** The process-wide pool (created on first use). */
export function getSandboxPool(): SandboxPool {
  shared ??= new SandboxPool();
  return shared;
}

/** Stop all sandbox workers (graceful shutdown, tests). A later run starts a fresh pool. */
export async function closeSandboxWorkers(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}

export function sandboxPoolStats(): SandboxPoolStats | undefined {
  return shared?.stats();
}

