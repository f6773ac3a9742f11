"use client";

import type { ConfigField } from "@weft/flow";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { EditorField } from "./editor-field";
import { JsonSchemaField } from "./json-schema-field";
import { hasRowErrors, listValue, RemoveButton, RowGroup } from "./row-group";
import type { FieldEditorProps } from "./types";

type Tool = { name?: unknown; description?: unknown; inputSchema?: unknown; code?: unknown };
const text = (v: unknown) => (typeof v === "string" ? v : "");
const parameters: ConfigField = { key: "inputSchema", label: "Parameters", widget: "json-schema", order: 0, required: true, help: "What the model passes to the tool (as `args` in its code)." };

/** AI tools: a card per tool with its name, description, parameters (a field list) and code. */
export function ToolsField(props: FieldEditorProps) {
  const { id, field, value, error, pathErrors, readOnly, onChange, onTouch } = props;
  const tools = Array.isArray(value) ? value.map((v) => (v && typeof v === "object" ? (v as Tool) : {})) : [];
  const emit = (next: Tool[]) => onChange(listValue(field, next));
  const set = (i: number, patch: Partial<Tool>) => emit(tools.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  const at = (i: number, key: string) => pathErrors.get(`${field.key}.${i}.${key}`) ?? null;
  return (
    <RowGroup
      id={id}
      field={field}
      error={hasRowErrors(pathErrors, field.key) ? null : error}
      addLabel="Add tool"
      onAdd={() => emit([...tools, { name: "", description: "", inputSchema: { type: "object", properties: {} }, code: "return args;" }])}
    >
      {tools.map((tool, i) => (
        <div key={i} className="flex flex-col gap-2 rounded-md border border-border p-2" data-testid={`${id}-tool-${i}`}>
          <div className="flex items-center justify-between">
            <span className="text-xs font-medium text-muted-foreground">Tool {i + 1}</span>
            <RemoveButton label={`Remove tool ${i + 1}`} onClick={() => emit(tools.filter((_, j) => j !== i))} />
          </div>
          <Field id={`${id}-${i}-name`} label="Name" error={at(i, "name")}>
            {(control) => <Input {...control} placeholder="lookup_user" value={text(tool.name)} onChange={(e) => set(i, { name: e.target.value })} onBlur={onTouch} />}
          </Field>
          <Field id={`${id}-${i}-description`} label="Description (for the model)" error={at(i, "description")}>
            {(control) => <Input {...control} value={text(tool.description)} onChange={(e) => set(i, { description: e.target.value })} onBlur={onTouch} />}
          </Field>
          <JsonSchemaField
            {...props}
            id={`${id}-${i}-parameters`}
            field={parameters}
            value={tool.inputSchema}
            error={at(i, "inputSchema")}
            onChange={(schema) => set(i, { inputSchema: schema ?? { type: "object", properties: {} } })}
          />
          <EditorField
            id={`${id}-${i}-code`}
            label="Code"
            name={`tool ${i + 1} code`}
            help="A JavaScript function body with `args` in scope; `return` gives the tool's result."
            error={at(i, "code")}
            kind="code"
            minHeight="4rem"
            value={text(tool.code)}
            readOnly={readOnly}
            variables={[]}
            onChange={(code) => set(i, { code })}
            onTouch={onTouch}
          />
        </div>
      ))}
    </RowGroup>
  );
}
