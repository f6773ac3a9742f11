"use client";

import { memo, useCallback, useEffect, useMemo, useState } from "react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { History, KanbanSquare, List, Radio } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { LocalTime } from "@/components/ui/local-time";
import { Select } from "@/components/ui/select";
import { TableHead } from "@/components/ui/table-head";
import { useTRPC, type RouterOutputs } from "@/trpc/client";
import { executionStatuses, isActive, type ExecutionStatus } from "@weft/flow";
import { durationOf, formatCost, formatDuration, formatTokens, triggerLabel, triggerTypes, type TriggerType } from "./format";
import { defaultFilters, filtersToSearch, isFiltered, listInput, PAGE_SIZE, parseFilters, type ListFilters } from "./list-filters";
import { StatusBadge } from "./status-badge";

export type ExecutionListPage = RouterOutputs["executions"]["list"];
type ExecutionRow = ExecutionListPage["items"][number];
export type FlowOption = { id: string; name: string };

const POLL_MS = 2000;
const SEARCH_DEBOUNCE_MS = 300;
// The first page has no cursor. tRPC sends any page param other than undefined as `cursor` (null
// fails the schema) while typing it `string | null`, hence the cast.
const FIRST_PAGE = undefined as unknown as string | null;

/** The filters that choose rows (not the view): two states with the same key list the same runs. */
const rowsKey = (f: ListFilters) => JSON.stringify([f.status, f.flow, f.trigger, f.q.trim(), f.from, f.to]);

/**
 * The workspace's executions, newest first, as a table or a board (columns per status, or per phase
 * of the node each run is at). Filters, search, view and grouping live in the URL. Live updates: the
 * loaded pages are re-fetched every 2 s while any shown run is pending, running or paused (one list
 * query for all rows, not a stream per row), and the polling stops once every shown run has finished.
 */
export function ExecutionsList({
  workspaceId,
  flows,
  initial,
}: {
  workspaceId: string;
  flows: FlowOption[];
  /** The first page the server rendered, for the filters it was rendered with. */
  initial: { filters: ListFilters; page: ExecutionListPage } | null;
}) {
  const trpc = useTRPC();
  const searchParams = useSearchParams();
  const filters = useMemo(() => parseFilters(searchParams), [searchParams]);
  // History API calls are synced into Next's router (useSearchParams) without a server round trip.
  const setFilters = useCallback((patch: Partial<ListFilters>) => {
    const next = { ...parseFilters(new URLSearchParams(window.location.search)), ...patch };
    window.history.replaceState(null, "", `${window.location.pathname}${filtersToSearch(next)}`);
  }, []);

  const [text, setText] = useState(filters.q);
  useEffect(() => {
    if (text.trim() === filters.q.trim()) return;
    const timer = setTimeout(() => setFilters({ q: text }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, filters.q, setFilters]);

  const useInitial = initial !== null && rowsKey(initial.filters) === rowsKey(filters);
  const query = useInfiniteQuery(
    trpc.executions.list.infiniteQueryOptions(listInput(workspaceId, filters, PAGE_SIZE), {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
      initialData: useInitial ? { pages: [initial.page], pageParams: [FIRST_PAGE] } : undefined,
      placeholderData: keepPreviousData,
      refetchInterval: (q) => (q.state.data?.pages.some((p) => p.items.some((row) => isActive(row.status))) ? POLL_MS : false),
    }),
  );

  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const live = rows.some((row) => isActive(row.status));
  const hasPhases = rows.some((row) => row.phases.length > 0);
  const filtered = isFiltered(filters);

  return (
    <div className="flex flex-col gap-4">
      <form
        role="search"
        aria-label="Filter executions"
        className="flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters({ q: text });
        }}
      >
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="execution-search">Search</Label>
          <Input
            id="execution-search"
            type="search"
            className="w-48"
            placeholder="Execution id or flow name"
            value={text}
            maxLength={200}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="execution-status">Status</Label>
          <Select id="execution-status" className="w-32" value={filters.status} onChange={(e) => setFilters({ status: e.target.value as ExecutionStatus | "" })}>
            <option value="">All statuses</option>
            {executionStatuses.map((s) => (
              <option key={s} value={s}>
                {triggerLabel(s)}
              </option>
            ))}
          </Select>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="execution-flow">Flow</Label>
          <Select id="execution-flow" className="w-40" value={filters.flow} onChange={(e) => setFilters({ flow: e.target.value })}>
            <option value="">All flows</option>
            {flows.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </Select>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="execution-trigger">Trigger</Label>
          <Select id="execution-trigger" className="w-32" value={filters.trigger} onChange={(e) => setFilters({ trigger: e.target.value as TriggerType | "" })}>
            <option value="">All triggers</option>
            {triggerTypes.map((t) => (
              <option key={t} value={t}>
                {triggerLabel(t)}
              </option>
            ))}
          </Select>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="execution-from">From</Label>
          <Input id="execution-from" type="date" className="w-36" value={filters.from} max={filters.to || undefined} onChange={(e) => setFilters({ from: e.target.value })} />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="execution-to">To</Label>
          <Input id="execution-to" type="date" className="w-36" value={filters.to} min={filters.from || undefined} onChange={(e) => setFilters({ to: e.target.value })} />
        </div>
        {filtered ? (
          <Button
            type="button"
            variant="ghost"
            onClick={() => {
              setText("");
              setFilters({ ...defaultFilters, view: filters.view, group: filters.group });
            }}
          >
            Clear filters
          </Button>
        ) : null}
      </form>

      <div className="flex flex-wrap items-center gap-3">
        <div role="group" aria-label="View" className="inline-flex rounded-md border border-border p-0.5">
          <ViewButton pressed={filters.view === "list"} onClick={() => setFilters({ view: "list" })} icon={List} label="List" />
          <ViewButton pressed={filters.view === "board"} onClick={() => setFilters({ view: "board" })} icon={KanbanSquare} label="Board" />
        </div>
        {filters.view === "board" ? (
          <div className="flex items-center gap-2">
            <Label htmlFor="execution-group">Group by</Label>
            <Select
              id="execution-group"
              className="w-32"
              value={filters.group}
              onChange={(e) => setFilters({ group: e.target.value === "phase" ? "phase" : "status" })}
            >
              <option value="status">Run status</option>
              {hasPhases || filters.group === "phase" ? <option value="phase">Phase</option> : null}
            </Select>
          </div>
        ) : null}
        {live ? (
          <span className="inline-flex items-center gap-1 text-xs text-muted-foreground" data-testid="executions-live">
            <Radio className="size-3.5" aria-hidden /> Updating every {POLL_MS / 1000} s while runs are active
          </span>
        ) : null}
      </div>

      {query.error ? <Alert variant="error">{query.error.message}</Alert> : null}

      <div aria-busy={query.isFetching && query.isPlaceholderData} className="flex flex-col gap-4">
        {query.isPending ? (
          <p className="text-sm text-muted-foreground">Loading…</p>
        ) : rows.length === 0 ? (
          filtered ? (
            <EmptyState icon={History} title="No matching executions">
              <p>No run matches these filters. Clear them to see every run.</p>
            </EmptyState>
          ) : (
            <NoExecutions />
          )
        ) : filters.view === "board" ? (
          <ExecutionsBoard workspaceId={workspaceId} rows={rows} group={filters.group} />
        ) : (
          <div className="relative overflow-x-auto rounded-lg border border-border">
            <table className="w-full text-sm" data-testid="executions-table">
              <TableHead columns={["Status", "Flow", "Trigger", "Step", "Started", "Duration", "Tokens", "Cost"]} className="bg-muted/50" cellClassName="px-3 py-2" />
              <tbody>
                {rows.map((row) => (
                  <ExecutionTableRow key={row.id} workspaceId={workspaceId} row={row} now={query.dataUpdatedAt} />
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
    </div>
  );
}

function ViewButton({ pressed, onClick, icon: Icon, label }: { pressed: boolean; onClick: () => void; icon: typeof List; label: string }) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      onClick={onClick}
      className={cn(
        "inline-flex h-7 items-center gap-1.5 rounded px-2.5 text-sm font-medium transition-colors",
        "focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring",
        pressed ? "bg-muted text-foreground" : "text-muted-foreground hover:text-foreground",
      )}
    >
      <Icon className="size-4" aria-hidden />
      {label}
    </button>
  );
}

/** A running run's elapsed time as of the last refresh (`now`), a finished one's recorded duration. */
function RunDuration({ row, now }: { row: ExecutionRow; now: number }) {
  const ms = isActive(row.status) ? durationOf(row, now) : row.durationMs;
  return <>{formatDuration(ms)}</>;
}

function CurrentStep({ row }: { row: ExecutionRow }) {
  if (!row.currentNodeId) return <span className="text-muted-foreground">—</span>;
  return (
    <span className="inline-flex min-w-0 items-baseline gap-1.5">
      <span className="truncate font-mono text-xs">{row.currentNodeId}</span>
      {row.phase ? <span className="truncate text-xs text-muted-foreground">{row.phase}</span> : null}
    </span>
  );
}

const ExecutionTableRow = memo(function ExecutionTableRow({ workspaceId, row, now }: { workspaceId: string; row: ExecutionRow; now: number }) {
  return (
    <tr className="border-t border-border hover:bg-muted/30" data-testid="execution-row" data-status={row.status} data-execution-id={row.id}>
      <td className="px-3 py-2">
        <StatusBadge status={row.status} />
      </td>
      <td className="max-w-64 px-3 py-2">
        <Link href={`/w/${workspaceId}/executions/${row.id}`} className="block truncate font-medium hover:underline focus-visible:underline">
          {row.flowName}
        </Link>
        <span className="font-mono text-xs text-muted-foreground">{row.id.slice(0, 8)}</span>
      </td>
      <td className="px-3 py-2 text-muted-foreground">{triggerLabel(row.triggerType)}</td>
      <td className="max-w-48 px-3 py-2">
        <CurrentStep row={row} />
      </td>
      <td className="px-3 py-2 whitespace-nowrap text-muted-foreground">
        <LocalTime value={row.startedAt ?? row.createdAt} />
      </td>
      <td className="px-3 py-2 text-right tabular-nums" suppressHydrationWarning>
        <RunDuration row={row} now={now} />
      </td>
      <td className="px-3 py-2 text-right tabular-nums">{formatTokens(row.tokens)}</td>
      <td className={row.costUsd == null ? "px-3 py-2 text-right text-muted-foreground" : "px-3 py-2 text-right tabular-nums"}>{formatCost(row.costUsd)}</td>
    </tr>
  );
});

type BoardColumn = { key: string; label: string; rows: ExecutionRow[] };

/** One column per run status, always all six, in lifecycle order. */
function statusColumns(rows: readonly ExecutionRow[]): BoardColumn[] {
  return executionStatuses.map((status) => ({ key: status, label: triggerLabel(status), rows: rows.filter((r) => r.status === status) }));
}

/**
 * One column per phase, in the order the flows' graphs list them (merged across flows), then "No
 * phase" for runs whose current node has none (or that have not started a node yet).
 */
function phaseColumns(rows: readonly ExecutionRow[]): BoardColumn[] {
  const order: string[] = [];
  for (const row of rows) for (const phase of row.phases) if (!order.includes(phase)) order.push(phase);
  for (const row of rows) if (row.phase && !order.includes(row.phase)) order.push(row.phase);
  const columns: BoardColumn[] = order.map((phase) => ({ key: phase, label: phase, rows: rows.filter((r) => r.phase === phase) }));
  const none = rows.filter((r) => !r.phase);
  if (none.length > 0) columns.push({ key: "", label: "No phase", rows: none });
  return columns;
}

function ExecutionsBoard({ workspaceId, rows, group }: { workspaceId: string; rows: readonly ExecutionRow[]; group: ListFilters["group"] }) {
  const columns = group === "phase" ? phaseColumns(rows) : statusColumns(rows);
  return (
    <div
      role="region"
      aria-label={group === "phase" ? "Board by phase" : "Board by status"}
      className="grid auto-cols-[minmax(14rem,1fr)] grid-flow-col gap-3 overflow-x-auto pb-2"
      data-testid="executions-board"
      data-group={group}
    >
      {columns.map((column) => {
        const headingId = `board-${group}-${column.key || "none"}`;
        return (
          <section
            key={column.key}
            aria-labelledby={headingId}
            data-testid="board-column"
            data-column={column.key}
            className="flex min-h-40 flex-col gap-2 rounded-lg border border-border bg-muted/30 p-2"
          >
            <h2 id={headingId} className="flex items-center justify-between px-1 text-sm font-semibold">
              {column.label}
              <span className="rounded-full bg-muted px-2 text-xs font-normal text-muted-foreground tabular-nums" data-testid="board-column-count">
                <span className="sr-only">, runs: </span>
                {column.rows.length}
              </span>
            </h2>
            {column.rows.length === 0 ? (
              <p className="px-1 text-xs text-muted-foreground">No runs</p>
            ) : (
              <ul className="flex flex-col gap-2">
                {column.rows.map((row) => (
                  <ExecutionCard key={row.id} workspaceId={workspaceId} row={row} showPhase={group === "status"} />
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}

const ExecutionCard = memo(function ExecutionCard({ workspaceId, row, showPhase }: { workspaceId: string; row: ExecutionRow; showPhase: boolean }) {
  return (
    <li
      data-testid="execution-card"
      data-status={row.status}
      data-execution-id={row.id}
      data-phase={row.phase ?? ""}
      className="flex flex-col gap-1.5 rounded-md border border-border bg-card p-3 text-sm shadow-xs"
    >
      <Link href={`/w/${workspaceId}/executions/${row.id}`} className="truncate font-medium hover:underline focus-visible:underline" title={row.flowName}>
        {row.flowName}
      </Link>
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted-foreground">
        <StatusBadge status={row.status} />
        <span className="font-mono">{row.id.slice(0, 8)}</span>
        <span>{triggerLabel(row.triggerType)}</span>
      </div>
      <div className="text-xs text-muted-foreground">
        <LocalTime value={row.startedAt ?? row.createdAt} />
      </div>
      {row.currentNodeId ? (
        <div className="text-xs">
          <span className="text-muted-foreground">At </span>
          <span className="font-mono">{row.currentNodeId}</span>
          {showPhase && row.phase ? <span className="text-muted-foreground"> · {row.phase}</span> : null}
        </div>
      ) : null}
      <div className="flex flex-wrap gap-x-3 text-xs whitespace-nowrap text-muted-foreground tabular-nums">
        <span>{row.durationMs == null ? (isActive(row.status) ? "running…" : "—") : formatDuration(row.durationMs)}</span>
        <span>{formatTokens(row.tokens)} tokens</span>
        <span>{formatCost(row.costUsd)}</span>
      </div>
    </li>
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
