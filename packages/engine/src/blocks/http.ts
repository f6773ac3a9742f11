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
      const response = await httpRequest(services.fetch, {
        method: config.method ?? "GET",
        url: String(config.url),
        headers: config.headers,
        body: config.body,
        timeoutMs: config.timeoutMs,
        signal,
        idempotencyKey,
      });
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
