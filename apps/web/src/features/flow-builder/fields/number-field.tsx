import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { FieldLabel } from "./field-label";
import type { FieldEditorProps } from "./types";

/** A number, with its unit and the schema's bounds; empty falls back to the default. */
export function NumberField({ id, field, value, error, onChange, onTouch }: FieldEditorProps) {
  return (
    <Field id={id} label={<FieldLabel field={field} />} error={error} hint={field.help}>
      {(control) => (
        <div className="flex items-center gap-2">
          <Input
            {...control}
            type="number"
            min={field.minimum}
            max={field.maximum}
            step={field.integer ? 1 : "any"}
            placeholder={typeof field.default === "number" ? String(field.default) : undefined}
            value={typeof value === "number" ? value : ""}
            onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
            onBlur={onTouch}
          />
          {field.unit ? <span className="shrink-0 text-xs text-muted-foreground">{field.unit}</span> : null}
        </div>
      )}
    </Field>
  );
}
