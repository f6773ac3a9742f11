import { httpRequest, isRetryableStatus, parseRetryAfter } from "../http";
import { BlockError, type BlockExecutor } from "../runtime/block";
import type { BlockServices } from "./types";

/**
 * http: one request through the guarded client, templates rendered, `Idempotency-Key` sent (the same
 * on retries and after a crash). 408/429/5xx are retryable (Retry-After honoured); other 4xx fail fast.
 */
export function httpBlock(services: BlockServices): BlockExecutor {
  return {
    type: "http",
    async execute({ node, scope, signal, idempotencyKey }) {
      const config = services.renderDeep(node.config, scope) as {
        method?: string;
        url: string;
        headers?: Record<string, string>;
        body?: unknown;
        timeoutMs?: number;
      };
      const method = config.method ?? "GET";
      let response: Awaited<ReturnType<typeof httpRequest>>;
      try {
        response = await httpRequest(services.fetch, {
          method,
          url: String(config.url),
          headers: config.headers,
          body: config.body,
          timeoutMs: config.timeoutMs,
          signal,
          idempotencyKey,
        });
      } catch (error) {
        // Say which call failed: the method and the host (not the whole URL, which may carry secrets).
        if (error instanceof Error && !signal.aborted) error.message = `${method} ${hostOf(String(config.url))}: ${error.message}`;
        throw error;
      }
      if (response.status >= 400) {
        const retryAfterMs = parseRetryAfter(response.headers["retry-after"] ?? null, Date.now()) ?? undefined;
        throw new BlockError("HTTP_STATUS", `${config.method ?? "GET"} ${config.url} answered ${response.status}`, {
          retryable: isRetryableStatus(response.status),
          retryAfterMs,
        });
      }
      return { output: response };
    },
  };
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url.replace(/^[a-z]+:\/\//i, "").split(/[/?#]/)[0] || url;
  }
};
