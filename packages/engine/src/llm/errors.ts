import { APICallError, JSONParseError, NoObjectGeneratedError, TypeValidationError } from "ai";
import type { LlmAttempt } from "./types";

export type LlmErrorCode =
  | "LLM_RATE_LIMITED"
  | "LLM_SERVER_ERROR"
  | "LLM_BAD_REQUEST"
  | "LLM_AUTH"
  | "LLM_NETWORK"
  | "LLM_OUTPUT_INVALID"
  | "LLM_ABORTED";

export type LlmErrorOptions = {
  code: LlmErrorCode;
  message: string;
  status?: number;
  retryable: boolean;
  retryAfterMs?: number;
  model?: string;
  attempts?: LlmAttempt[];
};

/**
 * The only error `callModel` throws. The message is the provider's, with the API key (and anything
 * that looks like a bearer token or `sk-` key) redacted; the original error is deliberately NOT kept
 * as `cause`, because provider errors carry response bodies that may echo credentials.
 */
export class LlmError extends Error {
  override readonly name = "LlmError";
  readonly code: LlmErrorCode;
  readonly status?: number;
  /** Whether the engine may retry the call (network, timeout, 408/429/5xx). */
  readonly retryable: boolean;
  /** From the provider's `Retry-After` / `retry-after-ms` header on a 429 (or 503). */
  readonly retryAfterMs?: number;
  /** The model whose failure this is (the last one tried). */
  readonly model?: string;
  /** Every failed attempt of this call, this one included, in order. */
  attempts: LlmAttempt[];

  constructor(options: LlmErrorOptions) {
    super(options.message);
    this.code = options.code;
    if (options.status !== undefined) this.status = options.status;
    this.retryable = options.retryable;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.model !== undefined) this.model = options.model;
    this.attempts = options.attempts ?? [];
  }

  toJSON() {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      model: this.model,
      attempts: this.attempts,
    };
  }
}

const MAX_MESSAGE_LENGTH = 1000;

/** Removes `apiKey` and anything shaped like a credential from a message meant for users/logs. */
export function redactSecrets(message: string, apiKey: string | undefined): string {
  let out = message;
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join("[REDACTED]");
  out = out
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 [REDACTED]")
    .replace(/\bsk-[A-Za-z0-9_-]{8,}/g, "sk-[REDACTED]");
  return out.length > MAX_MESSAGE_LENGTH ? `${out.slice(0, MAX_MESSAGE_LENGTH)}…` : out;
}

/** `retry-after-ms` (OpenAI) wins over `retry-after` (seconds or an HTTP date). */
export function parseRetryAfterMs(
  headers: Record<string, string | undefined> | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const get = (name: string) => {
    for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value?.trim();
    return undefined;
  };
  const ms = get("retry-after-ms");
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.round(Number(ms));
  const value = get("retry-after");
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

const NETWORK_ERROR_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CONNECT_TIMEOUT",
]);

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current != null && chain.length < 8 && !chain.includes(current)) {
    chain.push(current);
    current = typeof current === "object" && "cause" in current ? current.cause : undefined;
  }
  return chain;
}

function hasNetworkCode(error: unknown): boolean {
  return causeChain(error).some((e) => {
    const code = prop(e, "code");
    return typeof code === "string" && NETWORK_ERROR_CODES.has(code);
  });
}

function prop(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function messageOf(error: unknown): string {
  if (typeof error === "string") return error;
  const message = prop(error, "message");
  if (typeof message === "string" && message) return message;
  const nested = prop(prop(error, "error"), "message");
  if (typeof nested === "string" && nested) return nested;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

function isAbortLike(error: unknown): boolean {
  const name = prop(error, "name");
  return name === "AbortError" || name === "TimeoutError" || name === "ResponseAborted";
}

function fromStatus(status: number, message: string, retryAfterMs: number | undefined): Omit<LlmErrorOptions, "model"> {
  if (status === 429) {
    return { code: "LLM_RATE_LIMITED", status, message, retryable: true, ...(retryAfterMs !== undefined && { retryAfterMs }) };
  }
  if (status === 408) return { code: "LLM_NETWORK", status, message, retryable: true };
  if (status === 401 || status === 403) return { code: "LLM_AUTH", status, message, retryable: false };
  if (status >= 400 && status < 500) return { code: "LLM_BAD_REQUEST", status, message, retryable: false };
  // 5xx, and also a 2xx/3xx the client could not use (malformed body): the provider's fault.
  return { code: "LLM_SERVER_ERROR", status, message, retryable: true, ...(retryAfterMs !== undefined && { retryAfterMs }) };
}

/**
 * Maps anything thrown or streamed by the AI SDK, the provider or the `fetch` transport to an
 * LlmError. Retryable = network errors, timeouts, 408/429/5xx; everything else fails fast.
 *
 * Contract for a custom `fetch` (the engine's guarded client): errors it throws are non-retryable
 * unless they carry `retryable: true`, a standard network `code` (ECONNRESET, UND_ERR_*...) or are
 * named `TimeoutError`/`AbortError` while the caller's signal is still live.
 */
export function toLlmError(error: unknown, ctx: { apiKey: string; signal: AbortSignal; model?: string }): LlmError {
  const model = ctx.model;
  const clean = (message: string) => redactSecrets(message, ctx.apiKey);
  if (error instanceof LlmError) return error;

  if (ctx.signal.aborted) {
    const reason: unknown = ctx.signal.reason;
    if (prop(reason, "name") === "TimeoutError") {
      return new LlmError({ code: "LLM_NETWORK", message: "LLM request timed out", retryable: true, model });
    }
    return new LlmError({ code: "LLM_ABORTED", message: "LLM request aborted", retryable: false, model });
  }

  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    // No status: the connection failed. A 2xx whose body broke off mid-stream is a network error too.
    if (status === undefined || (status < 400 && hasNetworkCode(error))) {
      const cause = error.cause instanceof Error && error.cause.message ? ` (${error.cause.message})` : "";
      return new LlmError({ code: "LLM_NETWORK", message: clean(`${error.message}${cause}`), retryable: true, model });
    }
    const message = clean(error.message || `HTTP ${status}`);
    return new LlmError({ ...fromStatus(status, message, parseRetryAfterMs(error.responseHeaders)), model });
  }

  if (NoObjectGeneratedError.isInstance(error)) {
    const cause = error.cause ? `: ${messageOf(error.cause)}` : "";
    return new LlmError({ code: "LLM_OUTPUT_INVALID", message: clean(`${error.message}${cause}`), retryable: false, model });
  }
  if (TypeValidationError.isInstance(error) || JSONParseError.isInstance(error)) {
    // A stream chunk the provider client could not parse: the provider's fault, like a 5xx.
    return new LlmError({
      code: "LLM_SERVER_ERROR",
      message: clean(`Malformed response from the provider: ${error.message}`),
      retryable: true,
      model,
    });
  }

  const declared = causeChain(error)
    .map((e) => prop(e, "retryable"))
    .find((v) => typeof v === "boolean");
  const networkCode = hasNetworkCode(error);
  const status = prop(error, "status") ?? prop(error, "statusCode");
  if (typeof status === "number" && status >= 400) {
    return new LlmError({ ...fromStatus(status, clean(messageOf(error)), undefined), model });
  }
  if (networkCode || isAbortLike(error) || declared !== undefined) {
    const message = isAbortLike(error) ? "LLM request timed out" : clean(messageOf(error));
    return new LlmError({ code: "LLM_NETWORK", message, retryable: declared ?? true, model });
  }
  if (error instanceof Error) {
    // AI SDK argument/prompt errors, or a transport that refused the request (e.g. a blocked
    // destination): retrying the same request would fail the same way.
    const isSdkError = error.name.startsWith("AI_");
    return new LlmError({
      code: isSdkError ? "LLM_BAD_REQUEST" : "LLM_NETWORK",
      message: clean(error.message || error.name),
      retryable: false,
      model,
    });
  }
  // A provider error object streamed mid-response (`{ error: { message, type } }` chunks).
  return new LlmError({ code: "LLM_SERVER_ERROR", message: clean(messageOf(error)), retryable: true, model });
}
