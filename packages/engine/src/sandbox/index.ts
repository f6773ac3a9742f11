// The JavaScript sandbox: the ONLY place user JavaScript runs (function blocks, router `when`,
// loop `while`, AI tool code). QuickJS (quickjs-emscripten) in worker threads; see README.md.
export {
  createSandbox,
  SANDBOX_DEFAULTS,
  type EvaluateRequest,
  type RunFunctionRequest,
  type RunFunctionResult,
  type Sandbox,
  type SandboxOptions,
} from "./sandbox";
export {
  SandboxError,
  SANDBOX_ERROR_CODES,
  isSandboxError,
  type SandboxErrorCode,
  type SandboxLog,
  type SandboxLogLevel,
} from "./errors";
export { closeSandboxWorkers, sandboxPoolStats, type SandboxPoolStats } from "./pool";
