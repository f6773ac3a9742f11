"use client";

import { memo } from "react";
import { useNow } from "@/features/live-canvas/use-now";
import { activeTime, formatDuration, type RunTiming } from "./format";

export const RUN_TIME_NOTE = "Active time: how long the run has worked. Time paused waiting for a person (an approval, a pause) is not counted.";

/**
 * A run's active time, ticking while it runs, with the time it waited for a person beside it. The one
 * way every page (header, live bar, list, board) shows a run's time, so they agree.
 */
export const RunTime = memo(function RunTime({ timing, testId, compact = false }: { timing: RunTiming; testId?: string; compact?: boolean }) {
  const now = useNow(timing.runningSince != null || timing.pausedSince != null);
  const { activeMs, waitedMs } = activeTime(timing, now);
  return (
    <span data-testid={testId} data-active-ms={activeMs} data-waited-ms={waitedMs} title={RUN_TIME_NOTE} className="tabular-nums" suppressHydrationWarning>
      {formatDuration(activeMs)}
      {waitedMs >= 1000 ? (
        <span className="text-muted-foreground" data-testid={testId ? `${testId}-waited` : undefined}>
          {compact ? ` +${formatDuration(waitedMs)} paused` : ` (+${formatDuration(waitedMs)} waiting, not counted)`}
        </span>
      ) : null}
    </span>
  );
});
