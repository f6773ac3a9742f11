import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { EditorField } from "./editor-field";
import { hasRowErrors, listValue, RemoveButton, RowGroup } from "./row-group";
import type { FieldEditorProps } from "./types";

type Route = { handle?: unknown; when?: unknown };

/**
 * Router routes: an output name and its condition each. The condition is a JavaScript expression,
 * or with an AI router a plain-language description for the model.
 */
export function RoutesField({ id, field, value, error, pathErrors, readOnly, variables, config, onChange, onTouch }: FieldEditorProps) {
  const routes = Array.isArray(value) ? value.map((v) => (v && typeof v === "object" ? (v as Route) : {})) : [];
  const ai = config.mode === "ai";
  const emit = (next: Route[]) => onChange(listValue(field, next));
  const set = (i: number, key: "handle" | "when", cell: string) => emit(routes.map((r, j) => (j === i ? { ...r, [key]: cell } : r)));
  return (
    <RowGroup id={id} field={field} error={hasRowErrors(pathErrors, field.key) ? null : error} addLabel="Add route" onAdd={() => emit([...routes, { handle: "", when: "" }])}>
      {routes.map((route, i) => (
        <div key={i} className="flex flex-col gap-2 rounded-md border border-border p-2" data-testid={`${id}-row-${i}`}>
          <div className="flex items-center justify-between">
            <span className="text-xs font-medium text-muted-foreground">Route {i + 1}</span>
            <RemoveButton label={`Remove route ${i + 1}`} onClick={() => emit(routes.filter((_, j) => j !== i))} />
          </div>
          <Field id={`${id}-${i}-handle`} label="Output name" error={pathErrors.get(`${field.key}.${i}.handle`) ?? null}>
            {(control) => <Input {...control} value={typeof route.handle === "string" ? route.handle : ""} onChange={(e) => set(i, "handle", e.target.value)} onBlur={onTouch} />}
          </Field>
          <EditorField
            id={`${id}-${i}-when`}
            label={ai ? "When (for the model)" : "When"}
            name={`route ${i + 1} condition`}
            error={pathErrors.get(`${field.key}.${i}.when`) ?? null}
            kind={ai ? "template" : "code"}
            minHeight="2rem"
            value={typeof route.when === "string" ? route.when : ""}
            readOnly={readOnly}
            variables={variables}
            onChange={(next) => set(i, "when", next)}
            onTouch={onTouch}
          />
        </div>
      ))}
    </RowGroup>
  );
}
