"use client";

import { useMemo, useState, type ReactNode } from "react";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { Plus, X } from "lucide-react";
import { z } from "zod";
import { blockCatalog, blockConfigSchemas, isBlockType, suggestedModels } from "@weft/flow";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, controlClasses } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { cn } from "@/components/ui/cn";
import { providerLabel, type Provider } from "@/features/connections/providers";
import { useTRPC } from "@/trpc/client";
import { CodeEditor } from "./code-editor";
import type { BuilderNode } from "./store";

type PropertySchema = {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  items?: PropertySchema;
  properties?: Record<string, PropertySchema>;
  required?: string[];
  additionalProperties?: PropertySchema | boolean;
};
type FieldKind =
  | "string"
  | "text"
  | "code"
  | "prompt"
  | "number"
  | "boolean"
  | "enum"
  | "connection"
  | "model"
  | "stringList"
  | "keyValue"
  | "objectList"
  | "json";
type FieldSpec = { key: string; kind: FieldKind; required: boolean; schema: PropertySchema };
/** What every field editor takes: the field, its value and error, and where a new value goes. */
type FieldEditorProps = { id: string; field: FieldSpec; value: unknown; error: string | null; onChange: (value: unknown) => void };
/** How a column of a row editor is edited: a plain input, or CodeMirror for code or a prompt. */
type ColumnKind = "string" | "code" | "prompt";

// Config keys with a dedicated editor. Code and expressions (JavaScript run in the sandbox) and
// prompts (templates) get CodeMirror; other long text a textarea.
const CODE_KEYS = new Set(["code", "while"]);
const PROMPT_KEYS = new Set(["prompt", "systemPrompt"]);
const TEXT_KEYS = new Set(["message"]);
/** Router fields that only matter in AI mode (hidden in expression mode unless they hold a value). */
const ROUTER_AI_KEYS = new Set(["connectionId", "model", "prompt"]);

const isStringSchema = (schema: PropertySchema | undefined) => schema?.type === "string" && !Array.isArray(schema.enum);

function kindOf(key: string, schema: PropertySchema): FieldKind {
  if (Array.isArray(schema.enum)) return "enum";
  if (schema.type === "string") {
    if (key === "connectionId") return "connection";
    if (key === "model") return "model";
    if (CODE_KEYS.has(key)) return "code";
    if (PROMPT_KEYS.has(key)) return "prompt";
    if (TEXT_KEYS.has(key)) return "text";
    return "string";
  }
  if (schema.type === "number" || schema.type === "integer") return "number";
  if (schema.type === "boolean") return "boolean";
  if (schema.type === "array" && isStringSchema(schema.items)) return "stringList";
  if (schema.type === "object" && typeof schema.additionalProperties === "object" && isStringSchema(schema.additionalProperties)) return "keyValue";
  if (schema.type === "array" && schema.items?.type === "object" && schema.items.properties) {
    const columns = Object.values(schema.items.properties);
    if (columns.length > 0 && columns.every(isStringSchema)) return "objectList";
  }
  return "json";
}

/** The fields of a block type's config form, read from its zod schema (as JSON Schema). */
function fieldsOf(type: string): FieldSpec[] {
  if (!isBlockType(type)) return [];
  const json = z.toJSONSchema(blockConfigSchemas[type], { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, PropertySchema>;
    required?: string[];
  };
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([key, schema]) => ({ key, kind: kindOf(key, schema), required: required.has(key), schema }));
}

type Errors = { byKey: Map<string, string>; byPath: Map<string, string>; general: string[] };

/** The config form of the selected node, generated from its block's zod schema, with the schema's errors inline. */
export function ConfigForm({
  node,
  readOnly,
  onChange,
}: {
  node: BuilderNode;
  readOnly: boolean;
  onChange: (patch: { label?: string; config?: Record<string, unknown> }) => void;
}) {
  const type = node.type ?? "";
  const fields = useMemo(() => fieldsOf(type), [type]);
  const config = useMemo(
    () => (node.data.config && typeof node.data.config === "object" ? (node.data.config as Record<string, unknown>) : {}),
    [node.data.config],
  );
  const errors = useMemo((): Errors => {
    const byKey = new Map<string, string>();
    const byPath = new Map<string, string>();
    if (!isBlockType(type)) return { byKey, byPath, general: [`Unknown block type "${type}"`] };
    const result = blockConfigSchemas[type].safeParse(config);
    const general: string[] = [];
    if (!result.success) {
      for (const issue of result.error.issues) {
        const [first, ...rest] = issue.path;
        if (typeof first === "string" && fields.some((f) => f.key === first)) {
          const where = rest.length ? `${rest.join(".")}: ` : "";
          if (!byKey.has(first)) byKey.set(first, `${where}${issue.message}`);
          const path = issue.path.join(".");
          if (!byPath.has(path)) byPath.set(path, issue.message);
        } else {
          general.push(issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message);
        }
      }
    }
    return { byKey, byPath, general };
  }, [type, config, fields]);

  const set = (key: string, value: unknown) => {
    const next = { ...config };
    if (value === undefined) delete next[key];
    else next[key] = value;
    onChange({ config: next });
  };

  const aiRouter = type === "router" && config.mode === "ai";
  const visible = fields.filter((f) => type !== "router" || aiRouter || !ROUTER_AI_KEYS.has(f.key) || config[f.key] !== undefined);
  const connectionId = typeof config.connectionId === "string" ? config.connectionId : undefined;

  const idBase = `cfg-${node.id}`;
  return (
    <form className="flex flex-col gap-4" onSubmit={(e) => e.preventDefault()} aria-label={`Configure ${node.id}`}>
      <fieldset disabled={readOnly} className="flex min-w-0 flex-col gap-4">
        <div className="flex flex-col gap-1">
          <p className="text-sm font-semibold">{isBlockType(type) ? blockCatalog[type].label : type}</p>
          <p className="text-xs text-muted-foreground">{isBlockType(type) ? blockCatalog[type].description : null}</p>
        </div>
        <Field id={`${idBase}-label`} label="Label">
          {(control) => (
            <Input
              {...control}
              value={node.data.label ?? ""}
              placeholder={isBlockType(type) ? blockCatalog[type].label : ""}
              onChange={(e) => onChange({ label: e.target.value || undefined })}
            />
          )}
        </Field>
        {errors.general.map((message) => (
          <Alert key={message} variant="error">
            {message}
          </Alert>
        ))}
        {visible.map((field) => (
          <ConfigField
            key={field.key}
            id={`${idBase}-${field.key}`}
            field={field}
            value={config[field.key]}
            error={errors.byKey.get(field.key) ?? null}
            pathErrors={errors.byPath}
            readOnly={readOnly}
            connectionId={connectionId}
            // Router routes: `when` is an expression, or in AI mode a description for the model.
            columnKind={(column) => (column === "when" ? (aiRouter ? "prompt" : "code") : "string")}
            onChange={(v) => set(field.key, v)}
          />
        ))}
      </fieldset>
    </form>
  );
}

function FieldLabel({ field }: { field: FieldSpec }) {
  return (
    <>
      {field.key}
      {field.required ? null : <span className="ml-1 font-normal text-muted-foreground">(optional)</span>}
    </>
  );
}

function ConfigField({
  id,
  field,
  value,
  error,
  pathErrors,
  readOnly,
  connectionId,
  columnKind,
  onChange,
}: FieldEditorProps & {
  pathErrors: Map<string, string>;
  readOnly: boolean;
  connectionId: string | undefined;
  columnKind: (column: string) => ColumnKind;
}) {
  const label = <FieldLabel field={field} />;
  const text = typeof value === "string" ? value : "";
  const emptyToUndefined = (next: string) => (next === "" && !field.required ? undefined : next);
  switch (field.kind) {
    case "string":
      return (
        <Field id={id} label={label} error={error}>
          {(control) => <Input {...control} value={text} onChange={(e) => onChange(emptyToUndefined(e.target.value))} />}
        </Field>
      );
    case "text":
      return (
        <Field id={id} label={label} error={error}>
          {(control) => (
            <textarea {...control} rows={4} className={cn(controlClasses, "h-auto py-2")} value={text} onChange={(e) => onChange(emptyToUndefined(e.target.value))} />
          )}
        </Field>
      );
    case "code":
    case "prompt":
      return (
        <CodeField
          id={id}
          label={label}
          error={error}
          hint={field.kind === "prompt" ? "A template: {{ input.x }}, {{ nodes.<id>.output }}" : undefined}
          kind={field.kind}
          testId={`${id}-editor`}
          value={text}
          readOnly={readOnly}
          onChange={(next) => onChange(emptyToUndefined(next))}
        />
      );
    case "number":
      return (
        <Field id={id} label={label} error={error}>
          {(control) => (
            <Input
              {...control}
              type="number"
              min={field.schema.minimum}
              max={field.schema.maximum}
              placeholder={field.schema.default !== undefined ? JSON.stringify(field.schema.default) : undefined}
              value={typeof value === "number" ? value : ""}
              onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
            />
          )}
        </Field>
      );
    case "boolean":
      return (
        <div className="flex items-center gap-2">
          <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          <label htmlFor={id} className="text-sm font-medium">
            {field.key}
          </label>
          {error ? <p className="text-sm text-destructive">{error}</p> : null}
        </div>
      );
    case "enum":
      return (
        <Field id={id} label={label} error={error}>
          {(control) => (
            <Select {...control} value={text} onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)}>
              <option value="">{field.schema.default !== undefined ? `Default (${JSON.stringify(field.schema.default)})` : "—"}</option>
              {(field.schema.enum ?? []).map((option) => (
                <option key={String(option as string)} value={String(option as string)}>
                  {String(option as string)}
                </option>
              ))}
            </Select>
          )}
        </Field>
      );
    case "connection":
      return <ConnectionField id={id} label={label} value={text} error={error} onChange={(next) => onChange(emptyToUndefined(next))} />;
    case "model":
      return <ModelField id={id} label={label} value={text} error={error} connectionId={connectionId} onChange={(next) => onChange(emptyToUndefined(next))} />;
    case "stringList":
      return (
        <StringListField
          id={id}
          field={field}
          value={value}
          error={error}
          pathErrors={pathErrors}
          suggestionsFor={field.key === "fallbackModels" ? connectionId : undefined}
          onChange={onChange}
        />
      );
    case "keyValue":
      return <KeyValueField id={id} field={field} value={value} error={error} onChange={onChange} />;
    case "objectList":
      return <ObjectListField id={id} field={field} value={value} error={error} pathErrors={pathErrors} readOnly={readOnly} columnKind={columnKind} onChange={onChange} />;
    case "json":
      return <JsonField id={id} label={label} field={field} value={value} error={error} onChange={onChange} />;
  }
}

/** CodeMirror for code (JavaScript) or a prompt (a template), with a label, error and hint (labelled by id: it is not a form control). */
function CodeField({
  id,
  label,
  error,
  hint,
  kind,
  value,
  readOnly,
  minHeight,
  testId,
  onChange,
}: {
  id: string;
  label: ReactNode;
  error: string | null;
  hint?: string;
  kind: "code" | "prompt";
  value: string;
  readOnly: boolean;
  minHeight?: string;
  testId?: string;
  onChange: (value: string) => void;
}) {
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="flex flex-col gap-1.5">
      {/* The editor is no form control: a click on its label focuses its editable area. */}
      <Label id={`${id}-label`} htmlFor={id} onClick={() => document.getElementById(id)?.querySelector<HTMLElement>(".cm-content")?.focus()}>
        {label}
      </Label>
      <CodeEditor
        id={id}
        labelledBy={`${id}-label`}
        describedBy={describedBy}
        invalid={error ? true : undefined}
        testId={testId}
        language={kind === "code" ? "javascript" : "text"}
        minHeight={minHeight}
        value={value}
        readOnly={readOnly}
        onChange={onChange}
      />
      {error ? (
        <p id={`${id}-error`} className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

function useWorkspaceConnections() {
  const trpc = useTRPC();
  const { workspaceId } = useParams<{ workspaceId: string }>();
  const query = useQuery(trpc.connections.list.queryOptions({ workspaceId }, { staleTime: 30_000 }));
  return { workspaceId, connections: query.data, pending: query.isPending };
}

/** The AI connection: one of the workspace's connections, by name and provider. */
function ConnectionField({ id, label, value, error, onChange }: { id: string; label: ReactNode; value: string; error: string | null; onChange: (value: string) => void }) {
  const { workspaceId, connections, pending } = useWorkspaceConnections();
  const known = connections?.some((c) => c.id === value) ?? true;
  const hint =
    connections && connections.length === 0 ? (
      <>
        This workspace has no connections yet:{" "}
        <Link className="underline underline-offset-4" href={`/w/${workspaceId}/connections`}>
          add one
        </Link>
        .
      </>
    ) : undefined;
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      {(control) => (
        <Select {...control} value={value} onChange={(e) => onChange(e.target.value)} aria-busy={pending || undefined}>
          <option value="">{pending ? "Loading connections…" : "Choose a connection"}</option>
          {!known && value ? <option value={value}>Unknown connection ({value.slice(0, 8)}…)</option> : null}
          {connections?.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({providerLabel(c.provider)})
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}

/** The provider of the chosen connection and the models to suggest for it. */
function useModelSuggestions(connectionId: string | undefined): { provider: Provider | undefined; models: readonly string[] } {
  const { connections } = useWorkspaceConnections();
  const provider = connections?.find((c) => c.id === connectionId)?.provider;
  return { provider, models: suggestedModels(provider) };
}

/** The model: free text, with the chosen connection's provider's known models as suggestions. */
function ModelField({
  id,
  label,
  value,
  error,
  connectionId,
  onChange,
}: {
  id: string;
  label: ReactNode;
  value: string;
  error: string | null;
  connectionId: string | undefined;
  onChange: (value: string) => void;
}) {
  const { provider, models } = useModelSuggestions(connectionId);
  const hint = provider
    ? models.length > 0
      ? `Suggestions for ${providerLabel(provider)}; any model id works.`
      : "Any model id the server serves."
    : "Choose a connection for suggestions.";
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      {(control) => (
        <>
          <Input {...control} list={`${id}-models`} autoComplete="off" value={value} onChange={(e) => onChange(e.target.value)} />
          <datalist id={`${id}-models`}>
            {models.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}

/** A group of rows with a legend, an "Add" button and the field's error. */
function RowGroup({
  id,
  field,
  error,
  addLabel,
  onAdd,
  children,
}: {
  id: string;
  field: FieldSpec;
  error: string | null;
  addLabel: string;
  onAdd: () => void;
  children: ReactNode;
}) {
  return (
    <fieldset className="flex min-w-0 flex-col gap-1.5" aria-describedby={error ? `${id}-error` : undefined} data-testid={`${id}-rows`}>
      <legend className="mb-1.5 text-sm leading-none font-medium">
        <FieldLabel field={field} />
      </legend>
      {children}
      <div>
        <Button type="button" variant="ghost" size="sm" onClick={onAdd}>
          <Plus aria-hidden />
          {addLabel}
        </Button>
      </div>
      {error ? (
        <p id={`${id}-error`} className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** A row editor's value: an emptied optional list is left out of the config. */
const listValue = <T,>(field: FieldSpec, items: T[]): T[] | undefined => (items.length === 0 && !field.required ? undefined : items);

/** Whether some error belongs to one of the field's rows (shown there rather than under the group). */
const hasRowErrors = (pathErrors: Map<string, string>, key: string) => [...pathErrors.keys()].some((path) => path.startsWith(`${key}.`));

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <Button type="button" variant="ghost" size="icon" aria-label={label} title={label} onClick={onClick}>
      <X aria-hidden />
    </Button>
  );
}

/** An array of strings (parallel branches, fallback models): one input per item. */
function StringListField({
  id,
  field,
  value,
  error,
  pathErrors,
  suggestionsFor,
  onChange,
}: FieldEditorProps & {
  pathErrors: Map<string, string>;
  suggestionsFor: string | undefined;
}) {
  const items = Array.isArray(value) ? value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))) : [];
  const { models } = useModelSuggestions(suggestionsFor);
  const emit = (next: string[]) => onChange(listValue(field, next));
  return (
    <RowGroup id={id} field={field} error={hasRowErrors(pathErrors, field.key) ? null : error} addLabel={`Add to ${field.key}`} onAdd={() => emit([...items, ""])}>
      {items.map((item, i) => {
        const itemError = pathErrors.get(`${field.key}.${i}`);
        return (
          <div key={i} className="flex flex-col gap-1">
            <div className="flex items-center gap-1">
              <Input
                aria-label={`${field.key} ${i + 1}`}
                aria-invalid={itemError ? true : undefined}
                list={suggestionsFor !== undefined ? `${id}-models` : undefined}
                value={item}
                onChange={(e) => emit(items.map((old, j) => (j === i ? e.target.value : old)))}
              />
              <RemoveButton label={`Remove ${field.key} ${i + 1}`} onClick={() => emit(items.filter((_, j) => j !== i))} />
            </div>
            {itemError ? <p className="text-sm text-destructive">{itemError}</p> : null}
          </div>
        );
      })}
      {suggestionsFor !== undefined ? (
        <datalist id={`${id}-models`}>
          {models.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
      ) : null}
    </RowGroup>
  );
}

type Row = { key: string; value: string };
const rowsOf = (value: unknown): Row[] =>
  value && typeof value === "object" && !Array.isArray(value)
    ? Object.entries(value as Record<string, unknown>).map(([key, v]) => ({ key, value: typeof v === "string" ? v : JSON.stringify(v) }))
    : [];

/**
 * A record of strings (HTTP headers): name/value rows. The rows are local state (a half-typed row
 * has no key yet); they are read again from the config when it changes from elsewhere (undo).
 */
function KeyValueField({ id, field, value, error, onChange }: FieldEditorProps) {
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
    <RowGroup id={id} field={field} error={error} addLabel={`Add to ${field.key}`} onAdd={() => update([...rows, { key: "", value: "" }])}>
      {rows.map((row, i) => {
        const name = row.key.trim();
        const rowError = name === "" && row.value !== "" ? "needs a name" : seen.has(name) ? `repeats "${name}": the last one wins` : null;
        if (name) seen.add(name);
        return (
          <div key={i} className="flex flex-col gap-1">
            <div className="flex items-center gap-1">
              <Input
                aria-label={`${field.key} ${i + 1} name`}
                placeholder="Name"
                className="w-2/5"
                value={row.key}
                aria-invalid={rowError ? true : undefined}
                onChange={(e) => update(rows.map((r, j) => (j === i ? { ...r, key: e.target.value } : r)))}
              />
              <Input
                aria-label={`${field.key} ${i + 1} value`}
                placeholder="Value"
                value={row.value}
                onChange={(e) => update(rows.map((r, j) => (j === i ? { ...r, value: e.target.value } : r)))}
              />
              <RemoveButton label={`Remove ${field.key} ${i + 1}`} onClick={() => update(rows.filter((_, j) => j !== i))} />
            </div>
            {rowError ? <p className="text-sm text-destructive">{rowError}</p> : null}
          </div>
        );
      })}
    </RowGroup>
  );
}

/** An array of objects of strings (router routes): one row of inputs per item. */
function ObjectListField({
  id,
  field,
  value,
  error,
  pathErrors,
  readOnly,
  columnKind,
  onChange,
}: FieldEditorProps & {
  pathErrors: Map<string, string>;
  readOnly: boolean;
  columnKind: (column: string) => ColumnKind;
}) {
  const items = Array.isArray(value) ? value.map((v) => (v && typeof v === "object" ? (v as Record<string, unknown>) : {})) : [];
  const columns = Object.keys(field.schema.items?.properties ?? {});
  const emit = (next: Record<string, unknown>[]) => onChange(listValue(field, next));
  const setCell = (i: number, column: string, cell: string) => emit(items.map((item, j) => (j === i ? { ...item, [column]: cell } : item)));
  return (
    <RowGroup
      id={id}
      field={field}
      error={hasRowErrors(pathErrors, field.key) ? null : error}
      addLabel={`Add to ${field.key}`}
      onAdd={() => emit([...items, Object.fromEntries(columns.map((c) => [c, ""]))])}
    >
      {items.map((item, i) => (
        <div key={i} className="flex flex-col gap-2 rounded-md border border-border p-2" data-testid={`${id}-row-${i}`}>
          <div className="flex items-center justify-between">
            <span className="text-xs font-medium text-muted-foreground">
              {field.key} {i + 1}
            </span>
            <RemoveButton label={`Remove ${field.key} ${i + 1}`} onClick={() => emit(items.filter((_, j) => j !== i))} />
          </div>
          {columns.map((column) => {
            const cellId = `${id}-${i}-${column}`;
            const cellError = pathErrors.get(`${field.key}.${i}.${column}`) ?? null;
            const cell = typeof item[column] === "string" ? item[column] : "";
            const kind = columnKind(column);
            if (kind === "string") {
              return (
                <Field key={column} id={cellId} label={column} error={cellError}>
                  {(control) => <Input {...control} value={cell} onChange={(e) => setCell(i, column, e.target.value)} />}
                </Field>
              );
            }
            return (
              <CodeField
                key={column}
                id={cellId}
                label={column}
                error={cellError}
                kind={kind}
                minHeight="2rem"
                value={cell}
                readOnly={readOnly}
                onChange={(next) => setCell(i, column, next)}
              />
            );
          })}
        </div>
      ))}
    </RowGroup>
  );
}

/**
 * Objects, arrays and free values as JSON. A field that accepts any value (a sink's `value`, an HTTP
 * body) takes text that is not JSON as a template string.
 */
function JsonField({
  id,
  label,
  field,
  value,
  error,
  onChange,
}: FieldEditorProps & { label: ReactNode }) {
  const acceptsText = field.schema.type === undefined;
  const format = (v: unknown) => (v === undefined ? "" : typeof v === "string" && acceptsText ? v : JSON.stringify(v, null, 2));
  // The text is local (it may be half-typed JSON); a change from elsewhere (undo) replaces it.
  const [state, setState] = useState(() => ({ source: value, text: format(value), parseError: null as string | null }));
  if (state.source !== value) setState({ source: value, text: format(value), parseError: null });
  const { text, parseError } = state.source === value ? state : { text: format(value), parseError: null };

  const edit = (next: string) => {
    if (next.trim() === "") {
      setState({ source: undefined, text: next, parseError: null });
      onChange(undefined);
      return;
    }
    try {
      const parsed = JSON.parse(next) as unknown;
      setState({ source: parsed, text: next, parseError: null });
      onChange(parsed);
    } catch (e) {
      if (acceptsText) {
        setState({ source: next, text: next, parseError: null });
        onChange(next);
      } else {
        setState({ source: value, text: next, parseError: `Not valid JSON: ${e instanceof Error ? e.message : "parse error"}` });
      }
    }
  };
  return (
    <Field id={id} label={label} error={parseError ?? error} hint={acceptsText ? "JSON, or text (a template)" : "JSON"}>
      {(control) => (
        <textarea
          {...control}
          rows={4}
          spellCheck={false}
          className={cn(controlClasses, "h-auto py-2 font-mono text-xs")}
          value={text}
          onChange={(e) => edit(e.target.value)}
        />
      )}
    </Field>
  );
}
