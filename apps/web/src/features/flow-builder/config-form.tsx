"use client";

import { useMemo, useState, type ComponentType } from "react";
import { blockCatalog, configProblems, fieldShown, isBlockType, schemaToFields, type ConfigField, type FieldWidget } from "@weft/flow";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { CodeField } from "./fields/code-field";
import { ConnectionField } from "./fields/connection-field";
import { JsonField } from "./fields/json-field";
import { JsonSchemaField } from "./fields/json-schema-field";
import { KeyValueField } from "./fields/key-value-field";
import { ModelField } from "./fields/model-field";
import { NumberField } from "./fields/number-field";
import { RoutesField } from "./fields/routes-field";
import { SelectField } from "./fields/select-field";
import { StringListField } from "./fields/string-list-field";
import { TemplateField } from "./fields/template-field";
import { TextField } from "./fields/text-field";
import { ToolsField } from "./fields/tools-field";
import type { FieldEditorProps } from "./fields/types";
import type { BuilderNode } from "./store";
import type { Variable } from "./variables";

/** One editor per widget (packages/flow block-fields.ts names the widget of every field). */
const editors: Record<FieldWidget, ComponentType<FieldEditorProps>> = {
  text: TextField,
  template: TemplateField,
  code: CodeField,
  number: NumberField,
  select: SelectField,
  connection: ConnectionField,
  model: ModelField,
  "string-list": StringListField,
  "key-value": KeyValueField,
  routes: RoutesField,
  json: JsonField,
  "json-schema": JsonSchemaField,
  tools: ToolsField,
};

const EMPTY: ReadonlyMap<string, string> = new Map();

/**
 * The config form of the selected block: its label, then its fields in the order, with the labels
 * and editors its metadata names (schemaToFields). A field's errors show once it was touched, or
 * for every field after Validate (`showAllErrors`).
 */
export function ConfigForm({
  node,
  readOnly,
  showAllErrors,
  variables,
  onChange,
}: {
  node: BuilderNode;
  readOnly: boolean;
  showAllErrors: boolean;
  variables: readonly Variable[];
  onChange: (patch: { label?: string; config?: Record<string, unknown> }) => void;
}) {
  const type = node.type ?? "";
  const known = isBlockType(type);
  const fields = useMemo(() => (known ? schemaToFields(type) : []), [known, type]);
  const config = useMemo(
    () => (node.data.config && typeof node.data.config === "object" ? (node.data.config as Record<string, unknown>) : {}),
    [node.data.config],
  );
  const problems = useMemo(() => (known ? configProblems(type, config) : EMPTY), [known, type, config]);
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [more, setMore] = useState(false);
  const shows = (key: string) => showAllErrors || touched.has(key);
  const touch = (key: string) => setTouched((t) => (t.has(key) ? t : new Set([...t, key])));

  const set = (key: string, value: unknown) => {
    const next = { ...config };
    if (value === undefined) delete next[key];
    else next[key] = value;
    onChange({ config: next });
  };

  const shown = fields.filter((f) => fieldShown(f, fields, config));
  const advanced = shown.filter((f) => f.advanced && config[f.key] === undefined);
  const visible = more ? shown : shown.filter((f) => !advanced.includes(f));
  const general = showAllErrors ? problems.get("") : undefined;
  const idBase = `cfg-${node.id}`;

  const editor = (field: ConfigField) => {
    const Editor = editors[field.widget];
    const pathErrors = shows(field.key) ? new Map([...problems].filter(([path]) => path.startsWith(`${field.key}.`))) : EMPTY;
    return (
      <Editor
        key={field.key}
        id={`${idBase}-${field.key}`}
        field={field}
        value={config[field.key]}
        error={shows(field.key) ? (problems.get(field.key) ?? null) : null}
        pathErrors={pathErrors}
        readOnly={readOnly}
        variables={variables}
        config={config}
        onChange={(value) => set(field.key, value)}
        onTouch={() => touch(field.key)}
      />
    );
  };

  return (
    <form className="flex flex-col gap-4" onSubmit={(e) => e.preventDefault()} aria-label={`Configure ${node.data.label?.trim() || (known ? blockCatalog[type].label : type)}`}>
      <fieldset disabled={readOnly} className="flex min-w-0 flex-col gap-4">
        {known ? <p className="text-xs text-muted-foreground">{blockCatalog[type].description}</p> : <Alert variant="error">Unknown block type “{type}”.</Alert>}
        <Field id={`${idBase}-label`} label="Label" hint="The block's name on the canvas and in the run's steps.">
          {(control) => (
            <Input
              {...control}
              value={node.data.label ?? ""}
              placeholder={known ? blockCatalog[type].label : ""}
              onChange={(e) => onChange({ label: e.target.value || undefined })}
            />
          )}
        </Field>
        {general ? <Alert variant="error">{general}</Alert> : null}
        {visible.map(editor)}
        {advanced.length > 0 ? (
          <button type="button" className="self-start text-sm text-muted-foreground underline underline-offset-4 hover:text-foreground" onClick={() => setMore(!more)} aria-expanded={more}>
            {more ? "Fewer options" : `More options (${advanced.map((f) => f.label.toLowerCase()).join(", ")})`}
          </button>
        ) : null}
      </fieldset>
    </form>
  );
}
