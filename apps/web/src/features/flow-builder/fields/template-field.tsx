import { FieldLabel } from "./field-label";
import { EditorField } from "./editor-field";
import { emptyToUndefined, type FieldEditorProps } from "./types";

/** A template (`Hello {{ input.name }}`): the prompt editor with the variable picker. */
export function TemplateField({ id, field, value, error, readOnly, variables, onChange, onTouch }: FieldEditorProps) {
  const short = field.key === "url" || field.key === "over";
  return (
    <EditorField
      id={id}
      label={<FieldLabel field={field} />}
      name={field.label}
      help={field.help}
      error={error}
      kind="template"
      value={typeof value === "string" ? value : ""}
      readOnly={readOnly}
      variables={variables}
      minHeight={short ? "2rem" : undefined}
      onChange={(next) => onChange(emptyToUndefined(field, next))}
      onTouch={onTouch}
    />
  );
}
