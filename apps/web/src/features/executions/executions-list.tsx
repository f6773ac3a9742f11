"use client";

import { memo, useState } from "react";
import Link from "next/link";
import { useInfiniteQuery } from "@tanstack/react-query";
import { History } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Label } from "@/components/ui/label";
import { LocalTime } from "@/components/ui/local-time";
import { Select } from "@/components/ui/select";
import { useTRPC, type RouterOutputs } from "@/trpc/client";
import { executionStatuses, formatCost, formatDuration, formatTokens, isActive, triggerLabel, triggerTypes, type ExecutionStatus, type TriggerType } from "./format";
import { StatusBadge } from "./status-badge";
import { TableHead } from "@/components/ui/table-head";

export type ExecutionListPage = RouterOutputs["executions"]["list"];
type ExecutionRow = ExecutionListPage["items"][number];

const PAGE_SIZE = 25;
const POLL_MS = 2000;
// The first page has no cursor. tRPC sends any page param other than undefined as `cursor` (null
// fails the schema) while typing it `string | null`, hence the cast.
const FIRST_PAGE = undefined as unknown as string | null;

/** The workspace's executions, newest first: filters, "Load more", and a 2 s refresh while any shown run is active. */
export function ExecutionsList({ workspaceId, initialPage }: { workspaceId: string; initialPage: ExecutionListPage }) {
  const trpc = useTRPC();
  const [status, setStatus] = useState<ExecutionStatus | "">("");
  const [trigger, setTrigger] = useState<TriggerType | "">("");
  const unfiltered = status === "" && trigger === "";

  const query = useInfiniteQuery(
    trpc.executions.list.infiniteQueryOptions(
      { workspaceId, limit: PAGE_SIZE, status: status || undefined, triggerType: trigger || undefined },
      {
        getNextPageParam: (page) => page.nextCursor ?? undefined,
        initialData: unfiltered ? { pages: [initialPage], pageParams: [FIRST_PAGE] } : undefined,
        refetchInterval: (q) => (q.state.data?.pages.some((p) => p.items.some((row) => isActive(row.status))) ? POLL_MS : false),
      },
    ),
  );

  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end gap-3" role="group" aria-label="Filters">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="execution-status">Status</Label>
          <Select id="execution-status" className="w-40" value={status} onChange={(e) => setStatus(e.target.value as ExecutionStatus | "")}>
            <option value="">All statuses</option>
            {executionStatuses.map((s) => (
              <option key={s} value={s}>
                {triggerLabel(s)}
              </option>
            ))}
          </Select>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="execution-trigger">Trigger</Label>
          <Select id="execution-trigger" className="w-40" value={trigger} onChange={(e) => setTrigger(e.target.value as TriggerType | "")}>
            <option value="">All triggers</option>
            {triggerTypes.map((t) => (
              <option key={t} value={t}>
                {triggerLabel(t)}
              </option>
            ))}
          </Select>
        </div>
      </div>

      {query.error ? <Alert variant="error">{query.error.message}</Alert> : null}

      {query.isPending ? (
        <p className="text-sm text-muted-foreground">Loading…</p>
      ) : rows.length === 0 ? (
        unfiltered ? (
          <NoExecutions />
        ) : (
          <EmptyState icon={History} title="No matching executions">
            <p>No run matches these filters. Clear them to see every run.</p>
          </EmptyState>
        )
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-border">
          <table className="w-full text-sm">
            <TableHead columns={["Status", "Flow", "Trigger", "Started", "Duration", "Tokens", "Cost"]} className="bg-muted/50" cellClassName="px-3 py-2" />
            <tbody>
              {rows.map((row) => (
                <ExecutionTableRow key={row.id} workspaceId={workspaceId} row={row} />
              ))}
            </tbody>
          </table>
        </div>
      )}

      {query.hasNextPage ? (
        <div className="flex justify-center">
          <Button type="button" variant="outline" pending={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            Load more
          </Button>
        </div>
      ) : null}
    </div>
  );
}

const ExecutionTableRow = memo(function ExecutionTableRow({ workspaceId, row }: { workspaceId: string; row: ExecutionRow }) {
  return (
    <tr className="border-t border-border hover:bg-muted/30" data-testid="execution-row" data-status={row.status}>
      <td className="px-3 py-2">
        <StatusBadge status={row.status} />
      </td>
      <td className="max-w-64 truncate px-3 py-2 font-medium">
        <Link href={`/w/${workspaceId}/executions/${row.id}`} className="hover:underline focus-visible:underline">
          {row.flowName}
        </Link>
      </td>
      <td className="px-3 py-2 text-muted-foreground">{triggerLabel(row.triggerType)}</td>
      <td className="px-3 py-2 whitespace-nowrap text-muted-foreground">
        <LocalTime value={row.startedAt ?? row.createdAt} />
      </td>
      <td className="px-3 py-2 text-right tabular-nums">{formatDuration(row.durationMs)}</td>
      <td className="px-3 py-2 text-right tabular-nums">{formatTokens(row.tokens)}</td>
      <td className={row.costUsd == null ? "px-3 py-2 text-right text-muted-foreground" : "px-3 py-2 text-right tabular-nums"}>{formatCost(row.costUsd)}</td>
    </tr>
  );
});

function NoExecutions() {
  return (
    <EmptyState icon={History} title="No executions yet">
      <p>
        An execution is one run of a flow. Start one from the flow builder, a webhook, a schedule, or the REST API with an API key
        (Settings → API keys), where <code>$WEFT_URL</code> is this server’s address:
      </p>
      <pre className="overflow-x-auto rounded-md border border-border bg-muted p-3 text-left font-mono text-xs text-foreground">
        {`curl -X POST $WEFT_URL/api/v1/flows/<flow-id>/execute \\
  -H "Authorization: Bearer $WEFT_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"input": {}}'`}
      </pre>
      <p>Each run then appears here and opens into a live timeline of its steps.</p>
    </EmptyState>
  );
}
