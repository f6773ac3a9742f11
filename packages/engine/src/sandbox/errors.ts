/** A line written by `console.*` inside the sandbox. `at` = ms since the run started. */
export type SandboxLogLevel = "log" | "info" | "warn" | "error" | "debug";

export interface SandboxLog {
  level: SandboxLogLevel;
  message: string;
  at: number;
}

/**
 * Why a sandbox run failed.
 * - `USER_ERROR`: the code threw (or rejected); the message is the user's, `line` where known.
 * - `SYNTAX_ERROR`: the code (or expression) does not parse; `line` names the line.
 * - `TIMEOUT`: wall-clock limit reached ("Function timed out after 5000 ms").
 * - `ABORTED`: the caller's AbortSignal fired.
 * - `MEMORY_LIMIT`: the QuickJS heap limit was reached.
 * - `STACK_OVERFLOW`: recursion too deep.
 * - `NOT_SERIALIZABLE`: the result is not JSON (BigInt, cycle, a throwing toJSON).
 * - `OUTPUT_TOO_LARGE`: the JSON result exceeds `maxOutputBytes`.
 * - `INVALID_INPUT`: the host passed something unusable (non-JSON input, a bad scope variable name).
 * - `INTERNAL`: the sandbox itself failed (worker crash, QuickJS abort); the host stays healthy.
 */
export type SandboxErrorCode =
  | "USER_ERROR"
  | "SYNTAX_ERROR"
  | "TIMEOUT"
  | "ABORTED"
  | "MEMORY_LIMIT"
  | "STACK_OVERFLOW"
  | "NOT_SERIALIZABLE"
  | "OUTPUT_TOO_LARGE"
  | "INVALID_INPUT"
  | "INTERNAL";

export const SANDBOX_ERROR_CODES: readonly SandboxErrorCode[] = [
  "USER_ERROR",
  "SYNTAX_ERROR",
  "TIMEOUT",
  "ABORTED",
  "MEMORY_LIMIT",
  "STACK_OVERFLOW",
  "NOT_SERIALIZABLE",
  "OUTPUT_TOO_LARGE",
  "INVALID_INPUT",
  "INTERNAL",
];

/**
 * Every failure of user code in the sandbox. Never retryable: running the same code on the same
 * input fails the same way (a timeout included — it is a limit, not a transient fault).
 */
export class SandboxError extends Error {
  override readonly name = "SandboxError";
  readonly code: SandboxErrorCode;
  readonly retryable = false as const;
  /** 1-based line in the user's code (function body or expression), when known. */
  readonly line: number | undefined;
  /** console output captured before the failure. */
  readonly logs: SandboxLog[];

  constructor(code: SandboxErrorCode, message: string, details: { line?: number; logs?: SandboxLog[] } = {}) {
    super(message);
    this.code = code;
    this.line = details.line;
    this.logs = details.logs ?? [];
  }
}

export function isSandboxError(error: unknown): error is SandboxError {
  return error instanceof SandboxError;
}
