"use client";

import { useRef, type ReactNode } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { StepState } from "./timeline-state";

const STEP_HEIGHT_ESTIMATE = 84;

/**
 * The steps of a run in a scroll box, windowed with @tanstack/react-virtual so a run with thousands
 * of steps stays responsive: only the cards in view (plus a few) are in the DOM, each measured when it
 * renders and again when its size changes (details opened, text streamed in). `data-count` on the box
 * and `data-position` on each item let a test walk the whole list and prove it has no gaps.
 */
export function StepList({ steps, children }: { steps: readonly StepState[]; children: (step: StepState) => ReactNode }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: steps.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => STEP_HEIGHT_ESTIMATE,
    getItemKey: (i) => steps[i]!.key,
    overscan: 6,
  });
  return (
    <div
      ref={scrollRef}
      role="region"
      aria-label={`Steps (${steps.length})`}
      // Focusable, so keyboard users can scroll the box with the arrow keys.
      tabIndex={0}
      className="max-h-[36rem] overflow-auto rounded-lg focus-visible:outline-2 focus-visible:outline-ring"
      data-testid="steps"
      data-count={steps.length}
    >
      <ol className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => (
          <li
            key={item.key}
            ref={virtualizer.measureElement}
            data-index={item.index}
            data-position={item.index}
            aria-posinset={item.index + 1}
            aria-setsize={steps.length}
            className="absolute top-0 left-0 w-full pb-2"
            style={{ transform: `translateY(${item.start}px)` }}
          >
            {children(steps[item.index]!)}
          </li>
        ))}
      </ol>
    </div>
  );
}
