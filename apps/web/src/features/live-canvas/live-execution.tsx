"use client";

import { useCallback, useEffect } from "react";
import Link from "next/link";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, ExternalLink, Radio } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { displayStatus } from "@/features/executions/format";
import { useExecutionStream } from "@/features/executions/use-execution-stream";
import { useTRPC } from "@/trpc/client";
import { LiveCanvas } from "./live-canvas";

/**
 * A run followed where it was started (the flow builder): its live canvas, a link to its execution
 * page and "Back to editing". Reads the run (`executions.byId`) and follows its event stream.
 */
export function LiveExecution({
  workspaceId,
  executionId,
  canAct,
  onExit,
  onNodeClick,
  className,
}: {
  workspaceId: string;
  executionId: string;
  canAct: boolean;
  onExit: () => void;
  /** A node clicked (or Enter on it): the builder opens its Output tab. */
  onNodeClick?: (nodeId: string) => void;
  className?: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.executions.byId.queryOptions({ workspaceId, executionId }));
  const stream = useExecutionStream(executionId);
  const { timeline } = stream;

  const refetch = useCallback(
    () => queryClient.invalidateQueries({ queryKey: trpc.executions.byId.queryKey({ workspaceId, executionId }) }),
    [queryClient, trpc, workspaceId, executionId],
  );
  // Status changes and the end of the stream: the stored run (timing, metrics) moved on.
  useEffect(() => {
    if (timeline.status || stream.done) void refetch();
  }, [timeline.status, stream.done, refetch]);

  const run = query.data;
  const status = run ? displayStatus(timeline.status, run.status, stream.done) : (timeline.status ?? "pending");

  return (
    <div className={cn("flex flex-col gap-2", className)} data-testid="builder-live">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span className="inline-flex items-center gap-1.5 font-medium">
          <Radio className="size-4 text-muted-foreground" aria-hidden />
          Live run <span className="font-mono text-xs text-muted-foreground">{executionId.slice(0, 8)}</span>
        </span>
        <Link
          href={`/w/${workspaceId}/executions/${executionId}`}
          target="_blank"
          rel="noopener noreferrer"
          className="inline-flex items-center gap-1 font-medium underline-offset-4 hover:underline"
        >
          View execution
          <span className="sr-only"> (opens in a new tab)</span>
          <ExternalLink className="size-3.5" aria-hidden />
        </Link>
        <Button type="button" variant="outline" size="sm" className="ml-auto" onClick={onExit}>
          <ArrowLeft aria-hidden />
          Back to editing
        </Button>
      </div>
      {run ? (
        <LiveCanvas
          run={run}
          steps={timeline.steps}
          status={status}
          cancel={canAct ? { workspaceId, onCancelled: () => void refetch() } : null}
          onNodeClick={onNodeClick}
          className="min-h-0 flex-1"
        />
      ) : query.error ? (
        <Alert variant="error" title="Could not load the run">
          {query.error.message}
        </Alert>
      ) : (
        <p role="status" className="text-sm text-muted-foreground">
          Loading the run…
        </p>
      )}
    </div>
  );
}
