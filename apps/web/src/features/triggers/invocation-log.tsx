"use client";

import Link from "next/link";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { formatDuration } from "@/features/executions/format";
import { useTRPC, type RouterOutputs } from "@/trpc/client";
import { formatBytes, statusVariant } from "./format";

type Invocation = RouterOutputs["webhooks"]["invocations"]["items"][number];

const PAGE_SIZE = 20;
/** While the panel is open, the log refreshes on its own this often. */
const REFRESH_MS = 3000;

/** The webhook's calls, newest first, with "Load more" (cursor) and a refresh every few seconds. */
export function InvocationLog({ workspaceId, flowId }: { workspaceId: string; flowId: string }) {
  const trpc = useTRPC();
  const log = useInfiniteQuery(
    trpc.webhooks.invocations.infiniteQueryOptions(
      { workspaceId, flowId, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, refetchInterval: REFRESH_MS },
    ),
  );
  const items = log.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section aria-labelledby="webhook-log-title" className="flex flex-col gap-2">
      <div className="flex items-center justify-between gap-2">
        <h4 id="webhook-log-title" className="text-xs font-medium text-muted-foreground">
          Recent calls
        </h4>
        <Button type="button" size="sm" variant="ghost" pending={log.isRefetching && !log.isFetchingNextPage} onClick={() => void log.refetch()}>
          Refresh
        </Button>
      </div>
      {log.isError ? <Alert variant="error">{log.error.message}</Alert> : null}
      {log.isPending ? (
        <p className="text-sm text-muted-foreground">Loading…</p>
      ) : items.length === 0 ? (
        <p className="text-sm text-muted-foreground" data-testid="webhook-log-empty">
          No calls yet. They appear here within a few seconds.
        </p>
      ) : (
        <ol className="flex flex-col divide-y divide-border rounded-md border border-border" aria-label="Webhook calls, newest first" data-testid="webhook-log">
          {items.map((item) => (
            <InvocationRow key={item.id} workspaceId={workspaceId} item={item} />
          ))}
        </ol>
      )}
      {log.hasNextPage ? (
        <Button type="button" size="sm" variant="outline" pending={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          Load more
        </Button>
      ) : null}
    </section>
  );
}

function InvocationRow({ workspaceId, item }: { workspaceId: string; item: Invocation }) {
  return (
    <li className="flex flex-col gap-1 px-2.5 py-2 text-xs" data-testid="webhook-invocation" data-status-code={item.statusCode}>
      <div className="flex items-center justify-between gap-2">
        <Badge variant={statusVariant(item.statusCode)} data-testid="webhook-invocation-status">
          <span className="sr-only">Status </span>
          {item.statusCode}
        </Badge>
        <time dateTime={item.createdAt.toISOString()} title={item.createdAt.toISOString()} className="text-muted-foreground tabular-nums">
          {item.createdAt.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" })}
        </time>
      </div>
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-muted-foreground">
        <span>
          <span className="sr-only">Latency </span>
          {formatDuration(item.latencyMs)}
        </span>
        <span aria-hidden>·</span>
        <span>
          <span className="sr-only">Body </span>
          {formatBytes(item.requestBytes)}
        </span>
        {item.deduplicated ? (
          <Badge variant="outline" title={item.idempotencyKey ? `Repeat of idempotency key ${item.idempotencyKey}` : undefined} data-testid="webhook-invocation-deduplicated">
            Deduplicated
          </Badge>
        ) : null}
      </div>
      {item.error ? <p className="break-words text-destructive">{item.error}</p> : null}
      {item.executionId ? (
        <Link
          href={`/w/${workspaceId}/executions/${item.executionId}`}
          className="self-start font-medium text-foreground underline underline-offset-4 hover:no-underline"
          data-testid="webhook-invocation-execution"
        >
          Execution <span className="font-mono">{item.executionId.slice(0, 8)}</span>
        </Link>
      ) : null}
    </li>
  );
}
