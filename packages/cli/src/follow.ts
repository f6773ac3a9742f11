// Follows an execution's SSE stream (`GET /api/v1/executions/{id}/stream`): every event once, in
// order; when the connection drops it reconnects with `Last-Event-ID` and gets exactly the events after
// the last one it saw. Ends after the terminal event (`data: [DONE]`).
import { createParser } from "eventsource-parser";
import type { RunEvent } from "./progress";
import { ServerError, type Server } from "./server";

export type FollowOptions = {
  server: Server;
  executionId: string;
  onEvent: (index: number, event: RunEvent) => void;
  /** Reconnect delay (the server's `retry:` wins). */
  retryMs?: number;
  /** Give up after this many failed connections in a row. */
  maxFailures?: number;
};

export async function followExecution({ server, executionId, onEvent, retryMs = 1000, maxFailures = 10 }: FollowOptions): Promise<void> {
  let lastIndex = -1;
  let failures = 0;
  let delay = retryMs;
  for (;;) {
    let done = false;
    try {
      const res = await fetch(`${server.url}/api/v1/executions/${executionId}/stream`, {
        headers: server.headers({ accept: "text/event-stream", ...(lastIndex >= 0 ? { "last-event-id": String(lastIndex) } : {}) }),
      });
      if (!res.ok || !res.body) {
        const text = await res.text();
        // 4xx will not get better by retrying.
        if (res.status >= 400 && res.status < 500) throw new ServerError(res.status, `${res.status}: ${text.slice(0, 200)}`, text);
        throw new Error(`stream answered ${res.status}`);
      }
      failures = 0;
      const parser = createParser({
        onEvent(message) {
          if (message.data === "[DONE]") {
            done = true;
            return;
          }
          const parsed = JSON.parse(message.data) as { index: number; event: RunEvent };
          if (parsed.index <= lastIndex) return;
          lastIndex = parsed.index;
          onEvent(parsed.index, parsed.event);
        },
        onRetry(ms) {
          delay = ms;
        },
      });
      const decoder = new TextDecoder();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        parser.feed(decoder.decode(chunk, { stream: true }));
        if (done) break;
      }
      if (done) return;
    } catch (error) {
      if (error instanceof ServerError) throw error;
      failures += 1;
      if (failures >= maxFailures) throw new Error(`lost the stream of ${executionId}: ${(error as Error).message}`, { cause: error });
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}
