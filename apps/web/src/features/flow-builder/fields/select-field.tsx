import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { FieldLabel } from "./field-label";
import type { FieldEditorProps } from "./types";

/** One of the schema's values, by name; the default is named in the empty choice. */
export function SelectField({ id, field, value, error, onChange, onTouch }: FieldEditorProps) {
  const choices = field.choices ?? [];
  const fallback = typeof field.default === "string" ? choices.find((c) => c.value === field.default)?.label : undefined;
  return (
    <Field id={id} label={<FieldLabel field={field} />} error={error} hint={field.help}>
      {(control) => (
        <Select {...control} value={typeof value === "string" ? value : ""} onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)} onBlur={onTouch}>
          <option value="">{fallback ? `${fallback} (default)` : "Choose…"}</option>
          {choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}
