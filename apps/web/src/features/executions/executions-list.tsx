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
import { Label } from "@/components/ui/label";
import { LocalTime } from "@/components/ui/local-time";
import { Select } from "@/components/ui/select";
import { useTRPC, type RouterOutputs } from "@/trpc/client";
import { isActive } from "@weft/flow";
import { BulkActions } from "./bulk-actions";
import { ExecutionFilters, type FlowOption } from "./execution-filters";
import { ErrorSnippet, ExecutionsBoard } from "./executions-board";
import { formatCost, formatTokens, triggerLabel } from "./format";
import { filtersToSearch, isFiltered, listInput, PAGE_SIZE, parseFilters, type ListFilters } from "./list-filters";
import { RUN_TIME_NOTE, RunTime } from "./run-time";
import { rowStatus, StatusBadge } from "./status-badge";

export type { FlowOption };

export type ExecutionListPage = RouterOutputs["executions"]["list"];
type ExecutionRow = ExecutionListPage["items"][number];

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
  canAct,
}: {
  workspaceId: string;
  flows: FlowOption[];
  /** Members and up: select runs and retry, cancel or delete them. */
  canAct: boolean;
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
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [bulkResult, setBulkResult] = useState<string | null>(null);
  // Only rows still listed stay selected (a filter or a delete removes the others).
  const shownSelected = useMemo(() => rows.filter((r) => selected.has(r.id)).map((r) => r.id), [rows, selected]);
  const toggle = useCallback((id: string, on: boolean) => {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);

  return (
    <div className="flex flex-col gap-4">
      <ExecutionFilters filters={filters} text={text} setText={setText} setFilters={setFilters} flows={flows} />

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
      {/* What the last bulk action did; outside the table, which is gone once every run is deleted. */}
      <p role="status" className="text-sm text-muted-foreground empty:hidden" data-testid="bulk-result">
        {bulkResult}
      </p>

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
          <div className="flex flex-col gap-2">
            {canAct ? (
              <BulkActions
                workspaceId={workspaceId}
                selected={shownSelected}
                onDone={(result) => {
                  setSelected(new Set());
                  setBulkResult(result);
                }}
              />
            ) : null}
            {/* The fixed columns leave the Error column about 90 px, without a horizontal scroll, both at
                1024 px (700 px beside the sidebar) and from xl on (the page's 960 px with Trigger, Step
                and Tokens shown). */}
            <div className="relative overflow-x-auto rounded-lg border border-border">
              <table className="w-full table-fixed text-sm" data-testid="executions-table">
                <thead className="bg-muted/50 text-left text-xs text-muted-foreground">
                  <tr>
                    {canAct ? (
                      <th scope="col" className="w-8 px-2 py-2">
                        <input
                          type="checkbox"
                          aria-label="Select all shown runs"
                          className="size-4 align-middle"
                          checked={rows.length > 0 && shownSelected.length === rows.length}
                          onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((r) => r.id)) : new Set())}
                        />
                      </th>
                    ) : null}
                    <th scope="col" className="w-44 px-2 py-2 font-medium">Status</th>
                    <th scope="col" className="w-32 px-2 py-2 font-medium">Flow</th>
                    <th scope="col" className="hidden w-22 px-2 py-2 font-medium xl:table-cell">Trigger</th>
                    <th scope="col" className="hidden w-28 px-2 py-2 font-medium xl:table-cell">Step</th>
                    <th scope="col" className="w-24 px-2 py-2 font-medium">Started</th>
                    <th scope="col" className="w-22 px-2 py-2 text-right font-medium" title={RUN_TIME_NOTE}>Active time</th>
                    <th scope="col" className="hidden w-18 px-2 py-2 text-right font-medium xl:table-cell">Tokens</th>
                    <th scope="col" className="w-20 px-2 py-2 text-right font-medium">Cost</th>
                    <th scope="col" className="px-2 py-2 font-medium">Error</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <ExecutionTableRow key={row.id} workspaceId={workspaceId} row={row} selectable={canAct} selected={selected.has(row.id)} onSelect={toggle} />
                  ))}
                </tbody>
              </table>
            </div>
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

function CurrentStep({ row }: { row: ExecutionRow }) {
  if (!row.currentNodeId) return <span className="text-muted-foreground">—</span>;
  return (
    <span className="flex min-w-0 flex-col">
      <span className="truncate text-xs" title={row.currentNodeId}>
        {row.currentNodeLabel ?? row.currentNodeId}
      </span>
      {row.phase ? <span className="truncate text-xs text-muted-foreground">{row.phase}</span> : null}
    </span>
  );
}

const ExecutionTableRow = memo(function ExecutionTableRow({
  workspaceId,
  row,
  selectable,
  selected,
  onSelect,
}: {
  workspaceId: string;
  row: ExecutionRow;
  selectable: boolean;
  selected: boolean;
  onSelect: (id: string, on: boolean) => void;
}) {
  return (
    <tr className={cn("border-t border-border hover:bg-muted/30", selected && "bg-muted/40")} data-testid="execution-row" data-status={row.status} data-execution-id={row.id}>
      {selectable ? (
        <td className="px-2 py-2">
          <input
            type="checkbox"
            aria-label={`Select run ${row.id.slice(0, 8)} of ${row.flowName}`}
            className="size-4 align-middle"
            checked={selected}
            onChange={(e) => onSelect(row.id, e.target.checked)}
          />
        </td>
      ) : null}
      <td className="px-2 py-2">
        <StatusBadge status={rowStatus(row)} />
      </td>
      <td className="px-2 py-2">
        <Link href={`/w/${workspaceId}/executions/${row.id}`} className="block truncate font-medium hover:underline focus-visible:underline" title={row.flowName}>
          {row.flowName}
        </Link>
        <span className="font-mono text-xs text-muted-foreground">{row.id.slice(0, 8)}</span>
      </td>
      <td className="hidden px-2 py-2 text-muted-foreground xl:table-cell">{triggerLabel(row.triggerType)}</td>
      <td className="hidden px-2 py-2 xl:table-cell">
        <CurrentStep row={row} />
      </td>
      <td className="px-2 py-2 text-xs text-muted-foreground">
        <LocalTime value={row.startedAt ?? row.createdAt} />
      </td>
      <td className="px-2 py-2 text-right">
        <RunTime timing={row.timing} />
      </td>
      <td className="hidden px-2 py-2 text-right tabular-nums xl:table-cell">{formatTokens(row.tokens)}</td>
      <td className={row.costUsd == null ? "px-2 py-2 text-right text-muted-foreground" : "px-2 py-2 text-right tabular-nums"}>{formatCost(row.costUsd)}</td>
      <td className="px-2 py-2">{row.status === "failed" && row.error ? <ErrorSnippet error={row.error} /> : null}</td>
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
