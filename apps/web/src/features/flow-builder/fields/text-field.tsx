import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { FieldLabel } from "./field-label";
import { emptyToUndefined, type FieldEditorProps } from "./types";

/** One line of text. */
export function TextField({ id, field, value, error, onChange, onTouch }: FieldEditorProps) {
  return (
    <Field id={id} label={<FieldLabel field={field} />} error={error} hint={field.help}>
      {(control) => (
        <Input
          {...control}
          placeholder={field.placeholder}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(emptyToUndefined(field, e.target.value))}
          onBlur={onTouch}
        />
      )}
    </Field>
  );
}
