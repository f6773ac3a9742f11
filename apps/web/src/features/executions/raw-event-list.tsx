"use client";

import { memo, useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { StreamEvent } from "./use-execution-stream";

const ROW_HEIGHT = 28;

/** Every event of the run once, in index order; windowed so thousands of events stay responsive. */
export function RawEventList({ events }: { events: readonly StreamEvent[] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({ count: events.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  if (events.length === 0) return <p className="text-sm text-muted-foreground">No events yet.</p>;
  return (
    <div
      ref={scrollRef}
      className="max-h-80 overflow-auto rounded-md border border-border font-mono text-xs"
      data-testid="raw-events"
      data-count={events.length}
      role="list"
      aria-label="Raw events"
      // Focusable, so keyboard users can scroll the box with the arrow keys.
      tabIndex={0}
    >
      <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => (
          <RawEventRow key={item.key} item={events[item.index]!} position={item.index} total={events.length} start={item.start} />
        ))}
      </div>
    </div>
  );
}

const RawEventRow = memo(function RawEventRow({ item, position, total, start }: { item: StreamEvent; position: number; total: number; start: number }) {
  const { type, ...data } = item.event;
  const body = JSON.stringify(data);
  return (
    <div
      role="listitem"
      data-testid="event-row"
      data-index={item.index}
      data-position={position}
      aria-posinset={position + 1}
      aria-setsize={total}
      className="absolute top-0 left-0 flex w-full items-center gap-3 border-b border-border/60 px-3"
      style={{ height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
    >
      <span className="w-10 shrink-0 text-right text-muted-foreground tabular-nums">{item.index}</span>
      <span className="w-40 shrink-0 font-medium">{type}</span>
      <span className="truncate text-muted-foreground" title={body.length > 2000 ? undefined : body}>
        {body === "{}" ? "" : body}
      </span>
    </div>
  );
});
