/**
 * Buffers a node's streamed text (AI tokens) and commits it as one `node_stream` event per window of
 * `flushMs`: a token is never written on its own, and nothing is lost at the node's end (`flush`).
 * A failed write is reported, not thrown: the tokens were a view of the output, which is committed
 * with the node's completion.
 */
export function createStreamer(options: { flushMs: number; write: (delta: string) => Promise<unknown>; onError?: (error: unknown) => void }) {
  let buffer = "";
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = async () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!buffer) return;
    const delta = buffer;
    buffer = "";
    await options.write(delta).catch((error: unknown) => options.onError?.(error));
  };
  return {
    push: (delta: string) => {
      buffer += delta;
      timer ??= setTimeout(() => void flush(), options.flushMs);
    },
    flush,
  };
}
