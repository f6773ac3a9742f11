import type { NodeMetrics } from "@weft/flow";
import type { GraphNode } from "./graph";

/** Scope for templates: `{{ input.x }}`, `{{ nodes.<id>.output.x }}`, `{{ trigger.body.x }}`, `{{ env.NAME }}`. */
export type TemplateScope = {
  input: unknown;
  nodes: Record<string, { output: unknown }>;
  trigger: unknown;
  env: Record<string, string>;
};

/** Metrics of a node execution (the event contract's `NodeMetrics`: `costUsd` is a number, null = unknown). */
export type BlockMetrics = NodeMetrics;

export type BlockContext = {
  execution: { id: string; workspaceId: string; flowId: string };
  node: GraphNode;
  /** Loop iteration path ("" outside loops). */
  iteration: string;
  attempt: number;
  /** `executionId:nodeId:iteration`: the same on every retry and after a crash. */
  idempotencyKey: string;
  input: unknown;
  scope: TemplateScope;
  signal: AbortSignal;
  /** Streams text (AI tokens); the runtime coalesces deltas into `node_stream` events. */
  stream: (delta: string) => void;
  /** Console lines of user code, stored with the node's events. */
  log: (entry: { level: string; message: string }) => void;
};

export type BlockResult = {
  output: unknown;
  /** Router: the chosen handle; edges of other handles are skipped. */
  handle?: string;
  metrics?: BlockMetrics;
};

/** One executor per block type, registered in one registry. */
export type BlockExecutor = {
  type: string;
  execute(ctx: BlockContext): Promise<BlockResult>;
};

/** An error a block throws to say whether retrying can help (network, 429, 5xx) or not (4xx, validation). */
export class BlockError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  constructor(code: string, message: string, options?: { retryable?: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = "BlockError";
    this.code = code;
    this.retryable = options?.retryable ?? false;
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** Normalises anything a block threw: `{ code, message, retryable, retryAfterMs? }`. */
export function describeError(error: unknown): { code: string; message: string; retryable: boolean; retryAfterMs?: number } {
  if (error && typeof error === "object") {
    const e = error as { code?: unknown; message?: unknown; retryable?: unknown; retryAfterMs?: unknown; name?: unknown };
    const code = typeof e.code === "string" ? e.code : e.name === "AbortError" || e.name === "TimeoutError" ? "ABORTED" : "BLOCK_ERROR";
    return {
      code,
      message: typeof e.message === "string" && e.message ? e.message : "The block failed",
      retryable: e.retryable === true,
      ...(typeof e.retryAfterMs === "number" ? { retryAfterMs: e.retryAfterMs } : {}),
    };
  }
  return { code: "BLOCK_ERROR", message: typeof error === "string" ? error : "The block failed", retryable: false };
}
