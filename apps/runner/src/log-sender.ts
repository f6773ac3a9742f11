import type { RunnerClient } from "./client";
import type { RunnerMessage } from "./messages";

/**
 * Sends a step's messages to the server in numbered chunks, in order, at most one request in flight:
 * what arrives while a chunk is being sent goes in the next one (every `flushMs` at most). A chunk
 * that failed is sent again with the same number (the server drops duplicates). `onCancel` fires when
 * the server answers that the step was cancelled.
 */
export function createLogSender({ client, jobId, flushMs, onCancel, onError }: { client: RunnerClient; jobId: string; flushMs: number; onCancel: () => void; onError: (error: unknown) => void }) {
  let queue: RunnerMessage[] = [];
  let seq = 0;
  let sending: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const MAX_PER_CHUNK = 400;

  async function sendOnce(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_PER_CHUNK);
      for (let attempt = 0; ; attempt++) {
        try {
          const answer = await client.logs(jobId, seq, batch);
          if (answer.cancel) onCancel();
          break;
        } catch (error) {
          if (attempt >= 2) {
            onError(error);
            break;
          }
          await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
        }
      }
      seq++;
      queue = queue.slice(batch.length);
    }
  }
  function schedule() {
    if (timer || sending) return;
    timer = setTimeout(() => {
      timer = null;
      sending = sendOnce().finally(() => {
        sending = null;
        if (queue.length > 0) schedule();
      });
    }, flushMs);
  }
  return {
    push(messages: RunnerMessage[]) {
      if (messages.length === 0) return;
      queue.push(...messages);
      schedule();
    },
    /** Sends everything queued (before the result is reported). */
    async flush() {
      for (;;) {
        if (timer) clearTimeout(timer);
        timer = null;
        if (sending) {
          await sending;
          continue;
        }
        if (queue.length === 0) return;
        sending = sendOnce().finally(() => {
          sending = null;
        });
      }
    },
  };
}
