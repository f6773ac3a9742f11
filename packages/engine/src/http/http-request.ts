import { findHttpError, HttpTimeoutError } from "./errors";
import { type GuardedFetch } from "./guarded-fetch";

export type HttpRequestOptions = {
  /** Default "GET". */
  method?: string;
  url: string | URL;
  headers?: Record<string, string>;
  /**
   * Strings, bytes, URLSearchParams, FormData and Blobs are sent as they are; any other value
   * (objects, arrays, numbers, booleans) is sent as JSON with `content-type: application/json`
   * unless the headers set a content type. `undefined` and `null` send no body.
   */
  body?: unknown;
  /** Limit for this call, on top of the client's own `timeoutMs`. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Sent as the `Idempotency-Key` header. */
  idempotencyKey?: string;
};

export type HttpResponse = {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON when the content type is JSON (text when it does not parse), else text. */
  body: unknown;
};

/**
 * One request through the guarded client, body read in full (within the client's size cap).
 * Resolves for every HTTP status; rejects with the Http*Error classes or the signal's reason.
 */
export async function httpRequest(fetch: GuardedFetch, options: HttpRequestOptions): Promise<HttpResponse> {
  const headers = new Headers(options.headers);
  if (options.idempotencyKey !== undefined) headers.set("idempotency-key", options.idempotencyKey);
  const body = encodeBody(options.body, headers);

  const controller = new AbortController();
  const { signal, timeoutMs } = options;
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(
          () => controller.abort(new HttpTimeoutError(hostOf(options.url), timeoutMs)),
          timeoutMs,
        );

  try {
    const response = await fetch(options.url, {
      method: options.method ?? "GET",
      headers,
      body,
      signal: controller.signal,
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers.entries()),
      body: decodeBody(text, response.headers.get("content-type")),
    };
  } catch (error) {
    if (controller.signal.aborted) throw controller.signal.reason;
    throw findHttpError(error) ?? error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

function encodeBody(body: unknown, headers: Headers): BodyInit | null {
  if (body === undefined || body === null) return null;
  // Typed arrays over a SharedArrayBuffer are copied: fetch sends only ArrayBuffer-backed views.
  if (body instanceof Uint8Array) {
    return body.buffer instanceof ArrayBuffer ? (body as Uint8Array<ArrayBuffer>) : body.slice();
  }
  if (
    typeof body === "string" ||
    body instanceof ArrayBuffer ||
    body instanceof URLSearchParams ||
    body instanceof FormData ||
    body instanceof Blob
  ) {
    return body;
  }
  if (!headers.has("content-type")) headers.set("content-type", "application/json");
  return JSON.stringify(body);
}

function decodeBody(text: string, contentType: string | null): unknown {
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
  const isJson = mediaType === "application/json" || mediaType.endsWith("+json");
  if (!isJson) return text;
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function hostOf(url: string | URL): string {
  try {
    return new URL(url).host;
  } catch {
    return String(url);
  }
}
