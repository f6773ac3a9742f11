"use client";

import { useMemo, useState } from "react";
import { z } from "zod";
import { blockCatalog, blockConfigSchemas, isBlockType } from "@weft/flow";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { Input, controlClasses } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { cn } from "@/components/ui/cn";
import type { BuilderNode } from "./store";

type PropertySchema = { type?: string | string[]; enum?: unknown[]; default?: unknown; minimum?: number; maximum?: number };
type FieldSpec = { key: string; kind: "string" | "text" | "code" | "number" | "boolean" | "enum" | "json"; required: boolean; schema: PropertySchema };

// Long-text keys of the block configs: code in a monospace editor, prompts and messages in a textarea.
const CODE_KEYS = new Set(["code"]);
const TEXT_KEYS = new Set(["prompt", "systemPrompt", "message"]);

/** The fields of a block type's config form, read from its zod schema (as JSON Schema). */
function fieldsOf(type: string): FieldSpec[] {
  if (!isBlockType(type)) return [];
  const json = z.toJSONSchema(blockConfigSchemas[type], { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, PropertySchema>;
    required?: string[];
  };
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([key, schema]) => {
    let kind: FieldSpec["kind"] = "json";
    if (Array.isArray(schema.enum)) kind = "enum";
    else if (schema.type === "string") kind = CODE_KEYS.has(key) ? "code" : TEXT_KEYS.has(key) ? "text" : "string";
    else if (schema.type === "number" || schema.type === "integer") kind = "number";
    else if (schema.type === "boolean") kind = "boolean";
    return { key, kind, required: required.has(key), schema };
  });
}

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
  const errors = useMemo(() => {
    if (!isBlockType(type)) return { byKey: new Map<string, string>(), general: [`Unknown block type "${type}"`] };
    const result = blockConfigSchemas[type].safeParse(config);
    const byKey = new Map<string, string>();
    const general: string[] = [];
    if (!result.success) {
      for (const issue of result.error.issues) {
        const [first, ...rest] = issue.path;
        if (typeof first === "string" && fields.some((f) => f.key === first)) {
          const where = rest.length ? `${rest.join(".")}: ` : "";
          if (!byKey.has(first)) byKey.set(first, `${where}${issue.message}`);
        } else {
          general.push(issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message);
        }
      }
    }
    return { byKey, general };
  }, [type, config, fields]);

  const set = (key: string, value: unknown) => {
    const next = { ...config };
    if (value === undefined) delete next[key];
    else next[key] = value;
    onChange({ config: next });
  };

  const idBase = `cfg-${node.id}`;
  return (
    <form className="flex flex-col gap-4" onSubmit={(e) => e.preventDefault()} aria-label={`Configure ${node.id}`}>
      <fieldset disabled={readOnly} className="flex flex-col gap-4">
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
        {fields.map((field) => (
          <ConfigField key={field.key} id={`${idBase}-${field.key}`} field={field} value={config[field.key]} error={errors.byKey.get(field.key) ?? null} onChange={(v) => set(field.key, v)} />
        ))}
      </fieldset>
    </form>
  );
}

function ConfigField({
  id,
  field,
  value,
  error,
  onChange,
}: {
  id: string;
  field: FieldSpec;
  value: unknown;
  error: string | null;
  onChange: (value: unknown) => void;
}) {
  const label = (
    <>
      {field.key}
      {field.required ? null : <span className="ml-1 font-normal text-muted-foreground">(optional)</span>}
    </>
  );
  switch (field.kind) {
    case "string":
      return (
        <Field id={id} label={label} error={error}>
          {(control) => <Input {...control} value={typeof value === "string" ? value : ""} onChange={(e) => onChange(e.target.value === "" && !field.required ? undefined : e.target.value)} />}
        </Field>
      );
    case "text":
    case "code":
      return (
        <Field id={id} label={label} error={error}>
          {(control) => (
            <textarea
              {...control}
              rows={field.kind === "code" ? 8 : 4}
              spellCheck={field.kind === "code" ? false : undefined}
              className={cn(controlClasses, "h-auto py-2", field.kind === "code" && "font-mono text-xs")}
              value={typeof value === "string" ? value : ""}
              onChange={(e) => onChange(e.target.value === "" && !field.required ? undefined : e.target.value)}
            />
          )}
        </Field>
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
            <Select {...control} value={typeof value === "string" ? value : ""} onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)}>
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
    case "json":
      return <JsonField id={id} label={label} field={field} value={value} error={error} onChange={onChange} />;
  }
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
}: {
  id: string;
  label: React.ReactNode;
  field: FieldSpec;
  value: unknown;
  error: string | null;
  onChange: (value: unknown) => void;
}) {
  const acceptsText = field.schema.type === undefined;
  const [text, setText] = useState(() => (value === undefined ? "" : typeof value === "string" && acceptsText ? value : JSON.stringify(value, null, 2)));
  const [parseError, setParseError] = useState<string | null>(null);
  return (
    <Field id={id} label={label} error={parseError ?? error} hint={acceptsText ? "JSON, or text (a template)" : "JSON"}>
      {(control) => (
        <textarea
          {...control}
          rows={4}
          spellCheck={false}
          className={cn(controlClasses, "h-auto py-2 font-mono text-xs")}
          value={text}
          onChange={(e) => {
            const next = e.target.value;
            setText(next);
            if (next.trim() === "") {
              setParseError(null);
              onChange(undefined);
              return;
            }
            try {
              onChange(JSON.parse(next) as unknown);
              setParseError(null);
            } catch {
              if (acceptsText) {
                setParseError(null);
                onChange(next);
              } else {
                setParseError("Not valid JSON");
              }
            }
          }}
        />
      )}
    </Field>
  );
}
