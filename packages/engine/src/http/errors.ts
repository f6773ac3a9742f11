/**
 * Errors of the guarded HTTP client. Each carries a stable `code` and says whether retrying the same
 * request may succeed, so block executors can map every failure to a terminal or retryable outcome.
 */

export type HttpErrorCode =
  | "SSRF_BLOCKED"
  | "HTTP_INVALID_URL"
  | "HTTP_TIMEOUT"
  | "HTTP_RESPONSE_TOO_LARGE"
  | "HTTP_TOO_MANY_REDIRECTS"
  | "HTTP_NETWORK";

export abstract class HttpError extends Error {
  abstract readonly code: HttpErrorCode;
  abstract readonly retryable: boolean;
}

/** The target is not a public address (or a local/metadata hostname); refused before connecting. */
export class HttpBlockedError extends HttpError {
  readonly code = "SSRF_BLOCKED";
  readonly retryable = false;
  override readonly name = "HttpBlockedError";
  /** The host of the URL that was refused. */
  readonly host: string;
  /** Why it was refused, e.g. "loopback address" or "resolves to 10.0.0.1, a private address". */
  readonly reason: string;

  constructor(host: string, reason: string) {
    super(
      `Refused to connect to ${host} (${reason}). Operators can allow it with WEFT_HTTP_ALLOW_HOSTS.`,
    );
    this.host = host;
    this.reason = reason;
  }
}

/** The URL cannot be parsed, is not http: or https:, or carries credentials. */
export class HttpInvalidUrlError extends HttpError {
  readonly code = "HTTP_INVALID_URL";
  readonly retryable = false;
  override readonly name = "HttpInvalidUrlError";
}

export class HttpTimeoutError extends HttpError {
  readonly code = "HTTP_TIMEOUT";
  readonly retryable = true;
  override readonly name = "HttpTimeoutError";
  readonly timeoutMs: number;

  constructor(host: string, timeoutMs: number) {
    super(`Request to ${host} timed out after ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

export class HttpTooLargeError extends HttpError {
  readonly code = "HTTP_RESPONSE_TOO_LARGE";
  readonly retryable = false;
  override readonly name = "HttpTooLargeError";
  readonly maxBytes: number;

  constructor(host: string, maxBytes: number) {
    super(`Response from ${host} is larger than the limit of ${maxBytes} bytes`);
    this.maxBytes = maxBytes;
  }
}

/** Too many redirects, a redirect loop, or a redirect that cannot be followed. */
export class HttpRedirectError extends HttpError {
  readonly code = "HTTP_TOO_MANY_REDIRECTS";
  readonly retryable = false;
  override readonly name = "HttpRedirectError";
}

/** DNS failure, connection refused/reset, TLS failure and the like. */
export class HttpNetworkError extends HttpError {
  readonly code = "HTTP_NETWORK";
  readonly retryable = true;
  override readonly name = "HttpNetworkError";
}

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Whether a response status is worth retrying (timeouts, rate limits, transient server errors). */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/**
 * Parses a `Retry-After` header (delay in seconds or an HTTP date) into milliseconds from `now`
 * (never negative), or null when absent or malformed.
 */
export function parseRetryAfter(header: string | null | undefined, now: number | Date): number | null {
  if (header == null) return null;
  const value = header.trim();
  if (value === "") return null;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP date always names a weekday or month, so a bare or signed number never gets here.
  if (!/[a-z]/i.test(value)) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  const nowMs = typeof now === "number" ? now : now.getTime();
  return Math.max(0, at - nowMs);
}

/** Finds an HttpError in an error's `cause` chain (undici wraps connector errors in "fetch failed"). */
export function findHttpError(error: unknown): HttpError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (current instanceof HttpError) return current;
    current = current.cause;
  }
  return undefined;
}
