"use client";

import { memo } from "react";
import Link from "next/link";
import { LocalTime } from "@/components/ui/local-time";
import type { RouterOutputs } from "@/trpc/client";
import { executionStatuses } from "@weft/flow";
import { formatCost, formatTokens, triggerLabel } from "./format";
import type { ListFilters } from "./list-filters";
import { RunTime } from "./run-time";
import { rowStatus, statusLabel, StatusBadge } from "./status-badge";

type ExecutionRow = RouterOutputs["executions"]["list"]["items"][number];

/** The first line of a failed run's error, with its code, for lists and cards. */
export function ErrorSnippet({ error }: { error: { code?: string; message?: string } }) {
  const text = (error.message ?? "").split("\n")[0] ?? "";
  return (
    <p className="line-clamp-2 text-xs break-words text-destructive" title={error.message} data-testid="execution-error-snippet">
      {error.code ? <span className="mr-1 font-mono">{error.code}</span> : null}
      {text}
    </p>
  );
}

type BoardColumn = { key: string; label: string; rows: ExecutionRow[] };

/** One column per run status that has runs, in lifecycle order (empty ones take no space). */
function statusColumns(rows: readonly ExecutionRow[]): BoardColumn[] {
  return executionStatuses
    .map((status) => ({ key: status, label: statusLabel(status), rows: rows.filter((r) => r.status === status) }))
    .filter((column) => column.rows.length > 0);
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

export function ExecutionsBoard({ workspaceId, rows, group }: { workspaceId: string; rows: readonly ExecutionRow[]; group: ListFilters["group"] }) {
  const columns = group === "phase" ? phaseColumns(rows) : statusColumns(rows);
  return (
    <div
      role="region"
      aria-label={group === "phase" ? "Board by phase" : "Board by status"}
      className="grid grid-cols-[repeat(auto-fill,minmax(15rem,1fr))] gap-3 pb-2"
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
            <ul className="flex flex-col gap-2">
              {column.rows.map((row) => (
                <ExecutionCard key={row.id} workspaceId={workspaceId} row={row} group={group} />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

const ExecutionCard = memo(function ExecutionCard({ workspaceId, row, group }: { workspaceId: string; row: ExecutionRow; group: ListFilters["group"] }) {
  // The column already says the status (by status) or the phase (by phase): the card does not repeat it,
  // except that an approval waiting for a person says so.
  const byStatus = group === "status";
  return (
    <li
      data-testid="execution-card"
      data-status={row.status}
      data-execution-id={row.id}
      data-phase={row.phase ?? ""}
      className="flex min-w-0 flex-col gap-1.5 rounded-md border border-border bg-card p-3 text-sm shadow-xs"
    >
      <Link href={`/w/${workspaceId}/executions/${row.id}`} className="truncate font-medium hover:underline focus-visible:underline" title={row.flowName}>
        {row.flowName}
      </Link>
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted-foreground">
        {!byStatus || row.awaitingApproval ? <StatusBadge status={rowStatus(row)} /> : null}
        <span className="font-mono">{row.id.slice(0, 8)}</span>
        <span>{triggerLabel(row.triggerType)}</span>
        <LocalTime value={row.startedAt ?? row.createdAt} />
      </div>
      {row.currentNodeId ? (
        <div className="truncate text-xs">
          <span className="text-muted-foreground">At </span>
          <span>{row.currentNodeLabel ?? row.currentNodeId}</span>
          {byStatus && row.phase ? <span className="text-muted-foreground"> · {row.phase}</span> : null}
        </div>
      ) : null}
      {row.status === "failed" && row.error ? <ErrorSnippet error={row.error} /> : null}
      <div className="flex flex-wrap gap-x-3 text-xs whitespace-nowrap text-muted-foreground tabular-nums">
        <RunTime timing={row.timing} compact />
        <span>{formatTokens(row.tokens)} tokens</span>
        <span>{formatCost(row.costUsd)}</span>
      </div>
    </li>
  );
});
