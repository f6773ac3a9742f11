import { SandboxError, type SandboxLog } from "./errors";
import { MAX_STACK_BYTES, getSandboxPool } from "./pool";
import type { JobReply } from "./protocol";

export interface SandboxOptions {
  /** QuickJS heap limit per run. Default 64 MiB. */
  memoryLimitBytes?: number;
  /** Wall-clock limit per run (overridable per call). Default 5000 ms. */
  timeoutMs?: number;
  /** Limit on the result's JSON size in UTF-8 bytes. Default 1 MiB. */
  maxOutputBytes?: number;
  /** console lines kept per run; the rest become one "... N more lines dropped". Default 200. */
  maxLogLines?: number;
}

export interface RunFunctionRequest {
  /** A function BODY: `input` and `ctx` are in scope, `return` gives the output, `await` works. */
  code: string;
  /** Passed in as JSON (a deep copy). */
  input: unknown;
  /** Passed in as JSON (a deep copy). */
  ctx?: unknown;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RunFunctionResult {
  /** The returned value as JSON (undefined/functions dropped as JSON.stringify does; a top-level undefined becomes null). */
  value: unknown;
  logs: SandboxLog[];
  /** Time spent inside the sandbox worker (excludes queueing). */
  durationMs: number;
}

export interface EvaluateRequest {
  /** One JS expression; `await` is allowed. */
  expression: string;
  /** Each key becomes a variable (must be a valid identifier); values are passed as JSON. */
  scope: Record<string, unknown>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface Sandbox {
  readonly options: Readonly<Required<SandboxOptions>>;
  runFunction(request: RunFunctionRequest): Promise<RunFunctionResult>;
  evaluate(request: EvaluateRequest): Promise<unknown>;
}

export const SANDBOX_DEFAULTS: Readonly<Required<SandboxOptions>> = Object.freeze({
  memoryLimitBytes: 64 * 1024 * 1024,
  timeoutMs: 5_000,
  maxOutputBytes: 1024 * 1024,
  maxLogLines: 200,
});

/** Longest console message kept (characters); longer ones end with "... [truncated]". */
const MAX_LOG_MESSAGE_CHARS = 10_000;
const FUNCTION_FILE = "function.js";
const EXPRESSION_FILE = "expression.js";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await"
  ).split(" "),
);

function positiveInteger(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || !Number.isInteger(value) || value < min) {
    throw new TypeError(`sandbox option ${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

function toJsonArgument(name: string, value: unknown): string | null {
  if (value === undefined) return null;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new SandboxError("INVALID_INPUT", `${name} is not JSON-serializable: ${error instanceof Error ? error.message : String(error)}`);
  }
  return json === undefined ? null : json;
}

function unwrap(reply: JobReply, label: string, userText: string): { value: unknown; logs: SandboxLog[]; durationMs: number } {
  if (!reply.ok) {
    const { code, message } = reply.error;
    let line = reply.error.line;
    if (line !== undefined && (code === "USER_ERROR" || code === "SYNTAX_ERROR")) {
      // The wrapper's closing line follows the user's last line; report that as their last line.
      line = Math.max(1, Math.min(line, userText.split("\n").length));
      throw new SandboxError(code, `${message} (line ${line})`, { line, logs: reply.logs });
    }
    throw new SandboxError(code, message, { logs: reply.logs });
  }
  let value: unknown;
  try {
    value = JSON.parse(reply.valueJson);
  } catch {
    throw new SandboxError("NOT_SERIALIZABLE", `${label} result is not valid JSON`, { logs: reply.logs });
  }
  return { value, logs: reply.logs, durationMs: reply.durationMs };
}

class QuickJSSandbox implements Sandbox {
  constructor(readonly options: Readonly<Required<SandboxOptions>>) {}

  async runFunction(request: RunFunctionRequest): Promise<RunFunctionResult> {
    if (typeof request.code !== "string") throw new SandboxError("INVALID_INPUT", "code must be a string");
    const argsJson = [toJsonArgument("input", request.input), toJsonArgument("ctx", request.ctx)];
    // The header shares line 1 with the user's first line, so stack/syntax line numbers are theirs.
    const source = `(async function (input, ctx) {${request.code}\n})`;
    const reply = await this.run(source, FUNCTION_FILE, argsJson, "Function", request.timeoutMs, request.signal);
    return unwrap(reply, "Function", request.code);
  }

  async evaluate(request: EvaluateRequest): Promise<unknown> {
    if (typeof request.expression !== "string") throw new SandboxError("INVALID_INPUT", "expression must be a string");
    const scope = request.scope ?? {};
    const names = Object.keys(scope);
    for (const name of names) {
      if (!IDENTIFIER.test(name) || RESERVED.has(name)) {
        throw new SandboxError("INVALID_INPUT", `scope variable ${JSON.stringify(name)} is not a valid identifier`);
      }
    }
    const argsJson = names.map((name) => toJsonArgument(name, scope[name]));
    const source = `(async function (${names.join(", ")}) {return (${request.expression}\n);\n})`;
    const reply = await this.run(source, EXPRESSION_FILE, argsJson, "Expression", request.timeoutMs, request.signal);
    return unwrap(reply, "Expression", request.expression).value;
  }

  private run(
    source: string,
    filename: string,
    argsJson: (string | null)[],
    label: string,
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<JobReply> {
    // Code and input are copied into the guest heap as strings (and input parsed there). Refuse
    // what cannot fit before it gets there: the emscripten glue's own mallocs are unchecked.
    let bytes = Buffer.byteLength(source, "utf8");
    for (const json of argsJson) bytes += json === null ? 0 : Buffer.byteLength(json, "utf8");
    if (bytes > this.options.memoryLimitBytes / 2) {
      return Promise.reject(
        new SandboxError(
          "MEMORY_LIMIT",
          `${label} code and input (${bytes} bytes) do not fit in the memory limit of ${this.options.memoryLimitBytes} bytes`,
        ),
      );
    }
    return getSandboxPool().run(
      {
        source,
        filename,
        argsJson,
        label,
        timeoutMs: positiveInteger("timeoutMs", timeoutMs, this.options.timeoutMs),
        memoryLimitBytes: this.options.memoryLimitBytes,
        maxStackBytes: MAX_STACK_BYTES,
        maxOutputBytes: this.options.maxOutputBytes,
        maxLogLines: this.options.maxLogLines,
        maxLogMessageChars: MAX_LOG_MESSAGE_CHARS,
      },
      signal,
    );
  }
}

/**
 * A sandbox for user JavaScript (function blocks, router `when`, loop `while`, AI tool code).
 * Loads QuickJS once per sandbox worker thread (the pool is process-wide, so calling this again is
 * cheap) and resolves when a worker is ready. Rejects if QuickJS cannot be loaded.
 */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const resolved = Object.freeze({
    memoryLimitBytes: positiveInteger("memoryLimitBytes", options.memoryLimitBytes, SANDBOX_DEFAULTS.memoryLimitBytes, 1024 * 1024),
    timeoutMs: positiveInteger("timeoutMs", options.timeoutMs, SANDBOX_DEFAULTS.timeoutMs),
    maxOutputBytes: positiveInteger("maxOutputBytes", options.maxOutputBytes, SANDBOX_DEFAULTS.maxOutputBytes),
    maxLogLines: positiveInteger("maxLogLines", options.maxLogLines, SANDBOX_DEFAULTS.maxLogLines, 0),
  });
  await getSandboxPool().warm(resolved.memoryLimitBytes);
  return new QuickJSSandbox(resolved);
}
