"use client";

import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { executionStatuses, type ExecutionStatus } from "@weft/flow";
import { triggerLabel, triggerTypes, type TriggerType } from "./format";
import { defaultFilters, isFiltered, type ListFilters } from "./list-filters";
import { statusLabel } from "./status-badge";

export type FlowOption = { id: string; name: string };

const compact = "h-8 text-sm";

/**
 * The executions' filters in one compact row: search, status, flow, trigger and a date range that
 * stays on one line (labels are read by screen readers and shown as placeholders and titles).
 */
export function ExecutionFilters({
  filters,
  text,
  setText,
  setFilters,
  flows,
}: {
  filters: ListFilters;
  text: string;
  setText: (text: string) => void;
  setFilters: (patch: Partial<ListFilters>) => void;
  flows: FlowOption[];
}) {
  return (
    <form
      role="search"
      aria-label="Filter executions"
      className="flex flex-wrap items-center gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        setFilters({ q: text });
      }}
    >
      <div className="relative w-56 max-w-full">
        <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden />
        <label htmlFor="execution-search" className="sr-only">
          Search
        </label>
        <Input
          id="execution-search"
          type="search"
          className={`${compact} pl-8`}
          placeholder="Execution id or flow name"
          value={text}
          maxLength={200}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      <FilterSelect id="execution-status" label="Status" value={filters.status} onChange={(v) => setFilters({ status: v as ExecutionStatus | "" })} className="w-36">
        <option value="">All statuses</option>
        {executionStatuses.map((s) => (
          <option key={s} value={s}>
            {statusLabel(s)}
          </option>
        ))}
      </FilterSelect>
      <FilterSelect id="execution-flow" label="Flow" value={filters.flow} onChange={(v) => setFilters({ flow: v })} className="w-40">
        <option value="">All flows</option>
        {flows.map((f) => (
          <option key={f.id} value={f.id}>
            {f.name}
          </option>
        ))}
      </FilterSelect>
      <FilterSelect id="execution-trigger" label="Trigger" value={filters.trigger} onChange={(v) => setFilters({ trigger: v as TriggerType | "" })} className="w-32">
        <option value="">All triggers</option>
        {triggerTypes.map((t) => (
          <option key={t} value={t}>
            {triggerLabel(t)}
          </option>
        ))}
      </FilterSelect>
      <fieldset className="flex shrink-0 items-center gap-1 whitespace-nowrap" data-testid="date-filter">
        <legend className="sr-only">Created between</legend>
        <label htmlFor="execution-from" className="sr-only">
          From
        </label>
        <Input
          id="execution-from"
          type="date"
          title="From (day, inclusive)"
          className={`${compact} w-36`}
          value={filters.from}
          max={filters.to || undefined}
          onChange={(e) => setFilters({ from: e.target.value })}
        />
        <span className="text-muted-foreground" aria-hidden>
          –
        </span>
        <label htmlFor="execution-to" className="sr-only">
          To
        </label>
        <Input
          id="execution-to"
          type="date"
          title="To (day, inclusive)"
          className={`${compact} w-36`}
          value={filters.to}
          min={filters.from || undefined}
          onChange={(e) => setFilters({ to: e.target.value })}
        />
      </fieldset>
      {isFiltered(filters) ? (
        <Button
          type="button"
          variant="ghost"
          size="sm"
          onClick={() => {
            setText("");
            setFilters({ ...defaultFilters, view: filters.view, group: filters.group });
          }}
        >
          Clear filters
        </Button>
      ) : null}
    </form>
  );
}

function FilterSelect({
  id,
  label,
  value,
  onChange,
  className,
  children,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  className: string;
  children: React.ReactNode;
}) {
  return (
    <div className={className}>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <Select id={id} className="[&_select]:h-8" title={label} value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </Select>
    </div>
  );
}
