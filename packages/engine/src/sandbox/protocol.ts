// Messages between the host (pool.ts) and a sandbox worker thread (worker-main.ts). Types only.
import type { SandboxErrorCode, SandboxLog } from "./errors";

/** workerData of a sandbox worker. */
export interface WorkerBoot {
  /** Folders to resolve `quickjs-emscripten` from (this package's folder, then the cwd). */
  resolvePaths: string[];
  /** Guest helpers compiled on demand in a run's context; see prelude.ts. */
  formatterSource: string;
  describeSource: string;
  microtaskSource: string;
  /** Int32Array over a SharedArrayBuffer: slot 0 holds the id of a job the host wants stopped. */
  abortFlag: Int32Array;
  /** Recycle the worker once its WebAssembly memory has grown beyond this (it never shrinks). */
  recycleWasmBytes: number;
  /**
   * Maximum size of the worker's WebAssembly memory: the real memory limit (see README.md: in this
   * build QuickJS's own malloc accounting cannot see allocation sizes).
   */
  wasmMemoryMaxBytes: number;
}

export interface JobRequest {
  type: "job";
  id: number;
  /** An expression evaluating to a function, e.g. `(async function (input, ctx) {...\n})`. */
  source: string;
  /** File name used in stack traces; line numbers in it are the user's line numbers. */
  filename: string;
  /** One JSON text per parameter of the function; null = undefined. */
  argsJson: (string | null)[];
  /** "Function" or "Expression": used in messages such as "Function timed out after 5000 ms". */
  label: string;
  timeoutMs: number;
  memoryLimitBytes: number;
  maxStackBytes: number;
  maxOutputBytes: number;
  maxLogLines: number;
  maxLogMessageChars: number;
  /** Test hook: keep one QuickJS handle alive so that freeing the runtime must detect the leak. */
  debugLeakHandle?: boolean;
}

export interface JobFailure {
  code: SandboxErrorCode;
  message: string;
  line?: number;
}

export type JobReply =
  | {
      type: "result";
      id: number;
      ok: true;
      /** The result as JSON text (always valid JSON; "null" for undefined). */
      valueJson: string;
      logs: SandboxLog[];
      durationMs: number;
      /** The worker should be replaced (QuickJS aborted, leaked, or its memory grew too much). */
      recycle: boolean;
    }
  | {
      type: "result";
      id: number;
      ok: false;
      error: JobFailure;
      logs: SandboxLog[];
      durationMs: number;
      recycle: boolean;
    };

export type WorkerMessage = { type: "ready" } | { type: "fatal"; message: string } | JobReply;
