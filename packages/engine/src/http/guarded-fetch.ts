import {
  Agent,
  fetch as undiciFetch,
  type RequestInit as UndiciRequestInit,
  type Response as UndiciResponse,
} from "undici";
import { createAddressPolicy, type HostLookup } from "./address-policy";
import {
  findHttpError,
  HttpBlockedError,
  HttpInvalidUrlError,
  HttpNetworkError,
  HttpRedirectError,
  HttpTimeoutError,
  HttpTooLargeError,
} from "./errors";
import { createGuardedConnector } from "./guarded-connector";

export type GuardedFetchOptions = {
  /**
   * Hostnames (exact, or `*.example.internal`), IPs or CIDRs an operator allows although they are
   * not public, e.g. "127.0.0.1" or "10.0.0.0/8" (WEFT_HTTP_ALLOW_HOSTS). Default: none.
   */
  allowHosts?: string[];
  /** Redirects followed per request. Default 5. */
  maxRedirects?: number;
  /** Largest response body, counted after decompression. Default 10 MiB. */
  maxResponseBytes?: number;
  /** Time for the whole request: connecting, redirects and reading the body. Default 30 s. */
  timeoutMs?: number;
  /** Sent as User-Agent unless the request sets one. */
  userAgent?: string;
  /** Resolver used instead of the system's `dns.lookup` (tests, custom DNS). */
  lookup?: HostLookup;
};

/**
 * Fetch-compatible (assignable to `typeof fetch`, e.g. the `fetch` option of the AI SDK providers).
 * Rejects with the Http*Error classes of ./errors, or with `init.signal.reason` when aborted.
 */
export type GuardedFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const DEFAULT_MAX_REDIRECTS = 5;
const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);
/**
 * The only headers a redirect to another origin keeps: credentials may hide in any other header
 * (`x-api-key`, `api-key`, `x-goog-api-key`...), so everything not known to be harmless is dropped.
 */
const CROSS_ORIGIN_SAFE_HEADERS: ReadonlySet<string> = new Set([
  "accept",
  "accept-encoding",
  "accept-language",
  "cache-control",
  "content-encoding",
  "content-language",
  "content-length",
  "content-type",
  "pragma",
  "user-agent",
]);
/** Dropped when a redirect turns the request into a GET without body. */
const BODY_HEADERS = [
  "content-type",
  "content-length",
  "content-encoding",
  "content-language",
  "content-location",
];

type Hop = {
  url: URL;
  method: string;
  headers: Headers;
  body: BodyInit | null;
};

export function createGuardedFetch(options: GuardedFetchOptions = {}): GuardedFetch {
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy = createAddressPolicy({
    ...(options.allowHosts ? { allowHosts: options.allowHosts } : {}),
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });
  const agent = new Agent({ connect: createGuardedConnector(policy) });

  return async function guardedFetch(input, init) {
    const request = await normaliseInput(input, init);
    const userSignal = request.init.signal ?? undefined;
    userSignal?.throwIfAborted();

    let current = parseTarget(request.url);
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new HttpTimeoutError(current.host, timeoutMs)),
      timeoutMs,
    );
    timer.unref();
    const onUserAbort = () => controller.abort(userSignal?.reason);
    userSignal?.addEventListener("abort", onUserAbort, { once: true });
    const finish = () => {
      clearTimeout(timer);
      userSignal?.removeEventListener("abort", onUserAbort);
    };

    try {
      const { method: rawMethod, headers: rawHeaders, body, redirect, ...rest } = request.init;
      delete rest.signal;
      const headers = new Headers(rawHeaders);
      if (options.userAgent && !headers.has("user-agent")) headers.set("user-agent", options.userAgent);
      let hop: Hop = {
        url: current,
        method: (rawMethod ?? "GET").toUpperCase(),
        headers,
        body: body ?? null,
      };
      const visited = new Set<string>();
      let redirects = 0;

      for (;;) {
        current = hop.url;
        visited.add(`${hop.method} ${hop.url.href}`);
        const response = await send(hop, rest, controller.signal);
        const location = response.headers.get("location");
        if (!REDIRECT_STATUSES.has(response.status) || location === null || redirect === "manual") {
          return wrapResponse(response, {
            url: hop.url,
            method: hop.method,
            redirected: redirects > 0,
            maxResponseBytes,
            signal: controller.signal,
            finish,
          });
        }
        await response.body?.cancel().catch(() => undefined);
        if (redirect === "error") {
          throw new HttpRedirectError(`Unexpected redirect from ${hop.url.host} (redirect: "error")`);
        }
        if (redirects >= maxRedirects) {
          throw new HttpRedirectError(`Too many redirects (more than ${maxRedirects}) from ${hop.url.host}`);
        }
        redirects += 1;
        hop = nextHop(hop, response.status, location);
        if (visited.has(`${hop.method} ${hop.url.href}`)) {
          throw new HttpRedirectError(`Redirect loop at ${hop.url.host}${hop.url.pathname}`);
        }
      }
    } catch (error) {
      finish();
      throw toFetchError(error, controller.signal);
    }
  };

  async function send(hop: Hop, rest: RequestInit, signal: AbortSignal): Promise<UndiciResponse> {
    try {
      return await undiciFetch(hop.url, {
        ...rest,
        method: hop.method,
        headers: [...hop.headers],
        body: hop.body,
        redirect: "manual",
        signal,
        dispatcher: agent,
      } as UndiciRequestInit);
    } catch (error) {
      throw toFetchError(error, signal);
    }
  }
}

async function normaliseInput(
  input: string | URL | Request,
  init: RequestInit | undefined,
): Promise<{ url: string; init: RequestInit }> {
  if (typeof input === "string" || input instanceof URL) return { url: input.toString(), init: init ?? {} };
  // A Request: read its body so a 307/308 redirect can send it again.
  const body = input.body === null ? null : await input.arrayBuffer();
  return {
    url: input.url,
    init: {
      method: input.method,
      headers: input.headers,
      body,
      signal: input.signal,
      redirect: input.redirect,
      ...init,
    },
  };
}

function parseTarget(url: string, base?: URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url, base);
  } catch {
    // The URL itself is not repeated: it may carry a token, and errors end up in events and logs.
    throw new HttpInvalidUrlError("Invalid URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new HttpInvalidUrlError(
      `Refused to fetch a ${parsed.protocol} URL: only http: and https: are allowed`,
    );
  }
  if (parsed.username !== "" || parsed.password !== "") {
    throw new HttpInvalidUrlError(`Refused to fetch a URL with credentials (${parsed.host})`);
  }
  return parsed;
}

/** The request a redirect leads to, following the Fetch standard's HTTP-redirect fetch. */
function nextHop(hop: Hop, status: number, location: string): Hop {
  let url: URL;
  try {
    url = parseTarget(location, hop.url);
  } catch (error) {
    if (!(error instanceof HttpInvalidUrlError)) throw error;
    throw new HttpRedirectError(`Cannot follow redirect from ${hop.url.host}: ${error.message}`);
  }
  const headers = new Headers(hop.headers);
  let { method, body } = hop;
  const becomesGet =
    ((status === 301 || status === 302) && method === "POST") ||
    (status === 303 && method !== "GET" && method !== "HEAD");
  if (becomesGet) {
    method = "GET";
    body = null;
    for (const name of BODY_HEADERS) headers.delete(name);
  } else if (body !== null && isStream(body)) {
    throw new HttpRedirectError(
      `Cannot follow a ${status} redirect from ${hop.url.host}: a streamed request body cannot be sent twice`,
    );
  }
  if (url.origin !== hop.url.origin) {
    for (const name of [...headers.keys()]) if (!CROSS_ORIGIN_SAFE_HEADERS.has(name)) headers.delete(name);
  }
  return { url, method, headers, body };
}

function isStream(body: BodyInit): boolean {
  return body instanceof ReadableStream || (typeof body === "object" && Symbol.asyncIterator in body);
}

function wrapResponse(
  response: UndiciResponse,
  context: {
    url: URL;
    method: string;
    redirected: boolean;
    maxResponseBytes: number;
    signal: AbortSignal;
    finish: () => void;
  },
): Response {
  const { maxResponseBytes, finish } = context;
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (context.method !== "HEAD" && Number.isFinite(declared) && declared > maxResponseBytes) {
    void response.body?.cancel().catch(() => undefined);
    throw new HttpTooLargeError(context.url.host, maxResponseBytes);
  }

  let body: ReadableStream<Uint8Array> | null = null;
  if (NULL_BODY_STATUSES.has(response.status) || response.body === null) {
    void response.body?.cancel().catch(() => undefined);
    finish();
  } else {
    body = capBody(response.body as ReadableStream<Uint8Array>, {
      host: context.url.host,
      maxBytes: maxResponseBytes,
      signal: context.signal,
      finish,
    });
  }

  const wrapped = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers],
  });
  Object.defineProperties(wrapped, {
    url: { value: context.url.href },
    redirected: { value: context.redirected },
  });
  return wrapped;
}

/**
 * Passes the body through while counting bytes: errors with HttpTooLargeError and cancels the
 * download once the limit is passed, so an oversized response is never held in memory. The request's
 * timer keeps running until the body is done or cancelled.
 */
function capBody(
  source: ReadableStream<Uint8Array>,
  context: { host: string; maxBytes: number; signal: AbortSignal; finish: () => void },
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let received = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const chunk = await reader.read();
          if (chunk.done) {
            context.finish();
            controller.close();
            return;
          }
          received += chunk.value.byteLength;
          if (received > context.maxBytes) {
            const error = new HttpTooLargeError(context.host, context.maxBytes);
            context.finish();
            controller.error(error);
            await reader.cancel(error).catch(() => undefined);
            return;
          }
          controller.enqueue(chunk.value);
        } catch (error) {
          context.finish();
          controller.error(toFetchError(error, context.signal));
        }
      },
      async cancel(reason) {
        context.finish();
        await reader.cancel(reason).catch(() => undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Maps whatever undici threw to the user's abort reason, our timeout, or an Http*Error. A TypeError
 * other than undici's "fetch failed" is a malformed request (say, a GET with a body) and is passed on
 * as it is, as fetch does.
 */
function toFetchError(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason;
  const known = findHttpError(error);
  if (known instanceof HttpBlockedError && known.reason.startsWith("resolves to ")) {
    // The address a name resolves to is internal knowledge (a map of the private network): it goes to
    // the server log, and the caller only learns that the name is not public.
    console.warn(`[http] refused ${known.host}: ${known.reason}`);
    return new HttpBlockedError(known.host, "it does not resolve to a public address");
  }
  if (known) return known;
  if (error instanceof TypeError && error.message !== "fetch failed") return error;
  const message = error instanceof Error ? describeNetworkError(error) : String(error);
  return new HttpNetworkError(message, { cause: error });
}

function describeNetworkError(error: Error): string {
  const cause = error.cause;
  if (error.message === "fetch failed" && cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    const suffix = typeof code === "string" && !cause.message.includes(code) ? ` (${code})` : "";
    return `Network error: ${cause.message}${suffix}`;
  }
  return `Network error: ${error.message}`;
}
