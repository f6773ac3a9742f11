"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, controlClasses } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { cn } from "@/components/ui/cn";
import { RemoveButton, RowGroup } from "./row-group";
import { rowsFromSchema, schemaFromRows, schemaTypes, type SchemaRow } from "./schema-rows";
import type { FieldEditorProps } from "./types";

const emptyRow = (): SchemaRow => ({ name: "", type: "string", required: false, description: "", options: "" });

/**
 * A JSON Schema of an object (the run input, an AI block's structured output) as a list of fields:
 * name, type, required, options (enum) and description, with "Edit as JSON" for anything else. The
 * rows are local state (a half-typed row has no name yet), read again when the value changes from
 * elsewhere (undo).
 */
export function JsonSchemaField(props: FieldEditorProps) {
  const { id, field, value, error, onChange } = props;
  const [state, setState] = useState(() => ({ source: value, rows: rowsFromSchema(value) }));
  if (state.source !== value) setState({ source: value, rows: rowsFromSchema(value) });
  const [asJson, setAsJson] = useState(false);
  const rows = state.source === value ? state.rows : rowsFromSchema(value);

  if (asJson || rows === null) return <SchemaJson {...props} canUseRows={rows !== null} onRows={() => setAsJson(false)} />;

  const update = (next: SchemaRow[]) => {
    const schema = schemaFromRows(next);
    setState({ source: schema, rows: next });
    onChange(schema);
  };
  const set = (i: number, patch: Partial<SchemaRow>) => update(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <RowGroup id={id} field={field} error={error} addLabel="Add field" onAdd={() => update([...rows, emptyRow()])}>
      {rows.length === 0 ? <p className="text-xs text-muted-foreground">No fields yet.</p> : null}
      {rows.map((row, i) => (
        <div key={i} className="flex flex-col gap-1.5 rounded-md border border-border p-2" data-testid={`${id}-field-${i}`}>
          <div className="flex items-center gap-1">
            <Input aria-label={`Field ${i + 1} name`} placeholder="name" value={row.name} onChange={(e) => set(i, { name: e.target.value })} onBlur={props.onTouch} />
            <Select aria-label={`Field ${i + 1} type`} className="w-36 shrink-0" value={row.type} onChange={(e) => set(i, { type: e.target.value as SchemaRow["type"] })}>
              {schemaTypes.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </Select>
            <RemoveButton label={`Remove field ${i + 1}`} onClick={() => update(rows.filter((_, j) => j !== i))} />
          </div>
          <label className="flex items-center gap-2 text-xs">
            <input type="checkbox" checked={row.required} onChange={(e) => set(i, { required: e.target.checked })} />
            Required
          </label>
          <Input aria-label={`Field ${i + 1} description`} placeholder="Description (optional)" value={row.description} onChange={(e) => set(i, { description: e.target.value })} />
          {row.type === "string" || row.type === "number" || row.type === "integer" ? (
            <Input aria-label={`Field ${i + 1} options`} placeholder="Only these values, comma separated (optional)" value={row.options} onChange={(e) => set(i, { options: e.target.value })} />
          ) : null}
        </div>
      ))}
      <div>
        <Button type="button" variant="ghost" size="sm" onClick={() => setAsJson(true)}>
          Edit as JSON
        </Button>
      </div>
    </RowGroup>
  );
}

function SchemaJson({ id, field, value, error, onChange, onTouch, canUseRows, onRows }: FieldEditorProps & { canUseRows: boolean; onRows: () => void }) {
  const format = (v: unknown) => (v === undefined ? "" : JSON.stringify(v, null, 2));
  const [state, setState] = useState(() => ({ source: value, text: format(value), parseError: null as string | null }));
  if (state.source !== value) setState({ source: value, text: format(value), parseError: null });
  const { text, parseError } = state.source === value ? state : { text: format(value), parseError: null };
  const edit = (next: string) => {
    if (next.trim() === "") {
      setState({ source: undefined, text: next, parseError: null });
      return onChange(undefined);
    }
    try {
      const parsed = JSON.parse(next) as unknown;
      setState({ source: parsed, text: next, parseError: null });
      onChange(parsed);
    } catch (e) {
      setState({ source: value, text: next, parseError: `Not valid JSON: ${e instanceof Error ? e.message : "parse error"}` });
    }
  };
  const shown = parseError ?? error;
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-sm leading-none font-medium">
        {field.label} <span className="font-normal text-muted-foreground">(JSON Schema)</span>
      </label>
      <textarea
        id={id}
        rows={8}
        spellCheck={false}
        aria-invalid={shown ? true : undefined}
        aria-describedby={shown ? `${id}-error` : undefined}
        className={cn(controlClasses, "h-auto py-2 font-mono text-xs")}
        value={text}
        onChange={(e) => edit(e.target.value)}
        onBlur={onTouch}
      />
      {shown ? (
        <p id={`${id}-error`} className="text-sm text-destructive">
          {shown}
        </p>
      ) : null}
      {canUseRows && !parseError ? (
        <div>
          <Button type="button" variant="ghost" size="sm" onClick={onRows}>
            Edit as a list of fields
          </Button>
        </div>
      ) : (
        <p className="text-xs text-muted-foreground">This schema uses more than the field list can show, so it is edited as JSON.</p>
      )}
    </div>
  );
}
