import { FieldLabel } from "./field-label";
import { EditorField } from "./editor-field";
import { emptyToUndefined, type FieldEditorProps } from "./types";

/** JavaScript (a function body, a condition): the code editor, `input.` completions, full screen. */
export function CodeField({ id, field, value, error, readOnly, variables, onChange, onTouch }: FieldEditorProps) {
  return (
    <EditorField
      id={id}
      label={<FieldLabel field={field} />}
      name={field.label}
      help={field.help}
      error={error}
      kind="code"
      value={typeof value === "string" ? value : ""}
      readOnly={readOnly}
      variables={variables}
      minHeight={field.key === "code" ? undefined : "2.5rem"}
      onChange={(next) => onChange(emptyToUndefined(field, next))}
      onTouch={onTouch}
    />
  );
}
