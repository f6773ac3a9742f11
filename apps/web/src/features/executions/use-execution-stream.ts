"use client";

import { useEffect, useRef, useState } from "react";
import { advanceTimeline, emptyTimeline, type TimelineState } from "./timeline-state";

/** One event of the execution's log, as the SSE stream sends it (`data: {"index","event"}`). */
export type StreamEvent = { index: number; event: { type: string } & Record<string, unknown> };

export type StreamState = {
  /** Every event once, in index order (0..N-1, no gaps). */
  events: readonly StreamEvent[];
  /** `[DONE]` was received: the execution reached a terminal event. */
  done: boolean;
  /** "connecting" | "live" | "reconnecting" | "closed" */
  connection: "connecting" | "live" | "reconnecting" | "closed";
  /** How many times the stream was re-opened after a dropped connection. */
  reconnects: number;
  /** The run as the events describe it. */
  timeline: TimelineState;
};

const MAX_BACKOFF_MS = 10_000;

/**
 * Follows `GET /api/executions/<id>/stream` with `fetch` and a stream reader (not EventSource, so the
 * resume point is ours): events are applied in index order, duplicates (index already seen) dropped,
 * events ahead of a gap held until it fills; a dropped connection re-opens with
 * `?lastEventIndex=<last applied>` after an exponential backoff. `generation` re-opens a stream that
 * ended (an action resumed a finished run).
 */
export function useExecutionStream(executionId: string, generation = 0): StreamState {
  const [state, setState] = useState<StreamState>({ events: [], done: false, connection: "connecting", reconnects: 0, timeline: emptyTimeline });
  // The log survives a new generation: the resumed stream continues after the last index.
  type Log = { id: string; events: StreamEvent[]; ahead: Map<number, StreamEvent>; timeline: TimelineState };
  const log = useRef<Log>({ id: executionId, events: [], ahead: new Map(), timeline: emptyTimeline });

  useEffect(() => {
    if (log.current.id !== executionId) log.current = { id: executionId, events: [], ahead: new Map(), timeline: emptyTimeline };
    const current = log.current;
    const controller = new AbortController();
    let attempt = 0;
    let reconnects = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const lastIndex = () => current.events.length - 1;

    /** Adds parsed events; returns true when something new was applied. */
    const apply = (incoming: StreamEvent[]) => {
      let changed = false;
      for (const item of incoming) {
        if (item.index <= lastIndex() || current.ahead.has(item.index)) continue; // duplicate
        current.ahead.set(item.index, item);
      }
      for (let next = current.ahead.get(lastIndex() + 1); next; next = current.ahead.get(lastIndex() + 1)) {
        current.ahead.delete(next.index);
        current.events.push(next);
        changed = true;
      }
      return changed;
    };

    const publish = (patch: Partial<StreamState>) => {
      current.timeline = advanceTimeline(current.timeline, current.events);
      const events = current.events.slice();
      const timeline = current.timeline;
      setState((prev) => ({ ...prev, ...patch, events, timeline, reconnects }));
    };

    const connect = async (): Promise<void> => {
      const after = lastIndex();
      const url = `/api/executions/${encodeURIComponent(executionId)}/stream${after >= 0 ? `?lastEventIndex=${after}` : ""}`;
      let done = false;
      try {
        const response = await fetch(url, { headers: { Accept: "text/event-stream" }, signal: controller.signal, cache: "no-store" });
        if (response.status === 404 || response.status === 401 || response.status === 403) {
          publish({ connection: "closed" });
          return;
        }
        if (!response.ok || !response.body) throw new Error(`stream: HTTP ${response.status}`);
        publish({ connection: "live", done: false });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done: ended } = await reader.read();
          if (ended) break;
          buffer += value;
          // SSE: an event is dispatched at a blank line; a trailing partial event waits for more bytes.
          const blocks = buffer.split(/\r?\n\r?\n/);
          buffer = blocks.pop() ?? "";
          const batch: StreamEvent[] = [];
          for (const block of blocks) {
            const data = block
              .split(/\r?\n/)
              .filter((line) => line.startsWith("data:"))
              .map((line) => line.slice(5).replace(/^ /, ""))
              .join("\n");
            if (!data) continue; // comment (heartbeat), `retry:` or `id:` only
            if (data === "[DONE]") {
              done = true;
              continue;
            }
            try {
              const parsed = JSON.parse(data) as StreamEvent;
              if (typeof parsed.index === "number" && parsed.event && typeof parsed.event.type === "string") batch.push(parsed);
            } catch {
              // a malformed line: skip it; the index check keeps the log whole
            }
          }
          if (batch.length > 0) {
            attempt = 0;
            if (apply(batch)) publish({ connection: "live" });
          }
          if (done) {
            await reader.cancel().catch(() => undefined);
            break;
          }
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      if (controller.signal.aborted) return;
      if (done) {
        publish({ done: true, connection: "closed" });
        return;
      }
      // Dropped before [DONE]: back off (0.5 s, 1 s, 2 s ... 10 s) and resume after the last index.
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt);
      attempt += 1;
      reconnects += 1;
      publish({ connection: "reconnecting" });
      timer = setTimeout(() => void connect(), delay);
    };

    void connect();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [executionId, generation]);

  return state;
}
