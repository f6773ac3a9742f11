"use client";

import Link from "next/link";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { useTRPC, type RouterOutputs } from "@/trpc/client";
import { formatInZone } from "./time-zones";

type Slot = RouterOutputs["schedules"]["slots"]["items"][number];

const PAGE_SIZE = 10;
/** While the history is open, it refreshes on its own this often. */
const REFRESH_MS = 5000;

const outcomeVariant: Record<Slot["outcome"], "success" | "neutral" | "outline" | "destructive"> = {
  started: "success",
  queued: "neutral",
  skipped: "outline",
  failed: "destructive",
  missed: "outline",
};

/** The slots a schedule handled, newest first: time, outcome, the run it started (with its status now). */
export function ScheduleSlots({ workspaceId, flowId, scheduleId, timezone }: { workspaceId: string; flowId: string; scheduleId: string; timezone: string }) {
  const trpc = useTRPC();
  const slots = useInfiniteQuery(
    trpc.schedules.slots.infiniteQueryOptions(
      { workspaceId, flowId, scheduleId, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, refetchInterval: REFRESH_MS },
    ),
  );
  const items = slots.data?.pages.flatMap((page) => page.items) ?? [];

  if (slots.isPending) return <p className="text-xs text-muted-foreground">Loading…</p>;
  return (
    <div className="flex flex-col gap-2">
      {slots.isError ? <Alert variant="error">{slots.error.message}</Alert> : null}
      {items.length === 0 ? (
        <p className="text-xs text-muted-foreground" data-testid="schedule-slots-empty">
          No runs yet. Each slot appears here when it comes.
        </p>
      ) : (
        <ol className="flex flex-col divide-y divide-border rounded-md border border-border" aria-label="Schedule history, newest first" data-testid="schedule-slots">
          {items.map((slot) => (
            <li key={slot.slotAt.toISOString()} className="flex flex-col gap-1 px-2 py-1.5 text-xs" data-testid="schedule-slot" data-outcome={slot.outcome}>
              <div className="flex items-center justify-between gap-2">
                <time dateTime={slot.slotAt.toISOString()} title={slot.slotAt.toLocaleString()} className="tabular-nums">
                  {formatInZone(slot.slotAt, timezone)}
                </time>
                <Badge variant={outcomeVariant[slot.outcome]}>{slot.outcome}</Badge>
              </div>
              {slot.error ? <p className="break-words text-muted-foreground">{slot.error}</p> : null}
              {slot.executionId ? (
                <Link
                  href={`/w/${workspaceId}/executions/${slot.executionId}`}
                  className="self-start font-medium underline underline-offset-4 hover:no-underline"
                  data-testid="schedule-slot-execution"
                >
                  Execution <span className="font-mono">{slot.executionId.slice(0, 8)}</span>
                  {slot.executionStatus ? <span className="text-muted-foreground"> ({slot.executionStatus})</span> : null}
                </Link>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      {slots.hasNextPage ? (
        <Button type="button" size="sm" variant="outline" pending={slots.isFetchingNextPage} onClick={() => void slots.fetchNextPage()}>
          Load more
        </Button>
      ) : null}
    </div>
  );
}
