/** A JSON Schema object as it arrives from a flow's block config (validated elsewhere as JSON). */
export type JsonSchemaObject = Record<string, unknown>;

/** Decrypted provider credentials of a `connections` row. Never logged, never put in an error. */
export type LlmConnection = {
  /** The connection's name in the workspace, for error messages ("Connection "Prod OpenAI" ..."). */
  name?: string;
  provider: "openai" | "anthropic" | "openai_compatible";
  apiKey: string;
  /** Required for `openai_compatible`; optional override for the others. */
  baseUrl?: string | null;
};

export type LlmTool = {
  /** Name the model calls the tool by (OpenAI: `^[a-zA-Z0-9_-]{1,64}$`). */
  name: string;
  description?: string;
  /** JSON Schema of the arguments; the model's arguments are validated against it before `execute`. */
  inputSchema: JsonSchemaObject;
  /** Runs the tool; the returned value (JSON-serialisable) is sent back to the model. */
  execute(args: unknown, signal: AbortSignal): Promise<unknown>;
};

/** One tool invocation. `error` is set (and `result` undefined) when `execute` threw or the
 *  arguments did not match the tool's schema; the model is told about the error and may recover. */
export type LlmToolCall = { name: string; args: unknown; result: unknown; error?: string };

export type LlmUsage = { inputTokens: number; outputTokens: number };

export type LlmAttemptError = { message: string; status?: number; retryable: boolean };

/** A model that was tried and failed during one `callModel` call. */
export type LlmAttempt = { model: string; error: LlmAttemptError };

export type LlmCallInput = {
  connection: LlmConnection;
  model: string;
  /** Tried in order after `model`, only when the previous model failed with a retryable error. */
  fallbackModels?: string[];
  system?: string;
  prompt: string;
  temperature?: number;
  maxTokens?: number;
  /** JSON Schema: ask for structured output, parse it and validate it (else `LLM_OUTPUT_INVALID`). */
  outputSchema?: JsonSchemaObject;
  tools?: LlmTool[];
  /** Maximum number of model requests in the tool loop (default 5). */
  maxSteps?: number;
  signal: AbortSignal;
  /** Transport for every provider request (the engine passes its guarded SSRF-safe fetch). */
  fetch?: typeof fetch;
  /** Extra request headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
  /** Text deltas in order, as they stream (all steps; the structured-output JSON text too). */
  onDelta?: (text: string) => void;
  /** Called after each tool call finished (successfully or not). */
  onToolCall?: (call: LlmToolCall) => void;
  /** Clock in milliseconds for the metrics (default `performance.now`). */
  now?: () => number;
};

export type LlmCallResult = {
  /** Text of the final step (the answer; for structured output, the JSON text). */
  text: string;
  /** The parsed and validated structured output, when `outputSchema` was given. */
  object?: unknown;
  toolCalls: LlmToolCall[];
  /** Summed over all steps of the answering model. 0 when the provider reported nothing. */
  usage: LlmUsage;
  /** The model that answered (`model` or one of `fallbackModels`). */
  model: string;
  /** The AI SDK's finish reason of the last step: "stop", "length" (maxTokens hit), "content-filter"... */
  finishReason?: string;
  /** null = unknown (no price for the model, or no usage reported); never a made-up 0. */
  costUsd: number | null;
  /** ms from the answering request's start to its first output token; null if none was streamed. */
  ttftMs: number | null;
  /** outputTokens / seconds from first token to end; null when not measurable. */
  tokensPerSecond: number | null;
  /** ms for the whole call, failed fallback attempts included. */
  durationMs: number;
  /** Failed attempts before the answering model (empty when the first model answered). */
  attempts: LlmAttempt[];
};
