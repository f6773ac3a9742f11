"use client";

import { useState } from "react";
import { Input } from "@/components/ui/input";
import { RemoveButton, RowGroup } from "./row-group";
import type { FieldEditorProps } from "./types";

type Row = { key: string; value: string };
const rowsOf = (value: unknown): Row[] =>
  value && typeof value === "object" && !Array.isArray(value)
    ? Object.entries(value as Record<string, unknown>).map(([key, v]) => ({ key, value: typeof v === "string" ? v : JSON.stringify(v) }))
    : [];

/**
 * Name/value pairs (HTTP headers). The rows are local state (a half-typed row has no name yet); they
 * are read again from the config when it changes from elsewhere (undo).
 */
export function KeyValueField({ id, field, value, error, onChange, onTouch }: FieldEditorProps) {
  const [state, setState] = useState(() => ({ source: value, rows: rowsOf(value) }));
  if (state.source !== value) setState({ source: value, rows: rowsOf(value) });
  const rows = state.source === value ? state.rows : rowsOf(value);

  const update = (next: Row[]) => {
    const record: Record<string, string> = {};
    for (const row of next) if (row.key.trim() !== "") record[row.key.trim()] = row.value;
    const emitted = Object.keys(record).length === 0 && !field.required ? undefined : record;
    setState({ source: emitted, rows: next });
    onChange(emitted);
  };
  const seen = new Set<string>();
  return (
    <RowGroup id={id} field={field} error={error} addLabel="Add header" onAdd={() => update([...rows, { key: "", value: "" }])}>
      {rows.map((row, i) => {
        const name = row.key.trim();
        const rowError = name === "" && row.value !== "" ? "needs a name" : seen.has(name) ? `repeats "${name}": the last one wins` : null;
        if (name) seen.add(name);
        return (
          <div key={i} className="flex flex-col gap-1">
            <div className="flex items-center gap-1">
              <Input
                aria-label={`${field.label} ${i + 1} name`}
                placeholder="Name"
                className="w-2/5"
                value={row.key}
                aria-invalid={rowError ? true : undefined}
                onChange={(e) => update(rows.map((r, j) => (j === i ? { ...r, key: e.target.value } : r)))}
                onBlur={onTouch}
              />
              <Input
                aria-label={`${field.label} ${i + 1} value`}
                placeholder="Value"
                value={row.value}
                onChange={(e) => update(rows.map((r, j) => (j === i ? { ...r, value: e.target.value } : r)))}
                onBlur={onTouch}
              />
              <RemoveButton label={`Remove ${field.label} ${i + 1}`} onClick={() => update(rows.filter((_, j) => j !== i))} />
            </div>
            {rowError ? <p className="text-sm text-destructive">{rowError}</p> : null}
          </div>
        );
      })}
    </RowGroup>
  );
}
