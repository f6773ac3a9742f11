"use client";

import { useState } from "react";
import { EditorField } from "./editor-field";
import { FieldLabel } from "./field-label";
import type { FieldEditorProps } from "./types";

const format = (v: unknown) => (v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v, null, 2));

/**
 * A value that is JSON or a template (an End block's result, an HTTP body): text that parses as JSON
 * is kept as JSON, anything else as a template string. The variable picker inserts `{{ ... }}`.
 */
export function JsonField({ id, field, value, error, readOnly, variables, onChange, onTouch }: FieldEditorProps) {
  // The text is local (it may be half-typed JSON); a change from elsewhere (undo) replaces it.
  const [state, setState] = useState(() => ({ source: value, text: format(value) }));
  if (state.source !== value) setState({ source: value, text: format(value) });
  const text = state.source === value ? state.text : format(value);
  const edit = (next: string) => {
    let parsed: unknown = next;
    if (next.trim() === "") parsed = undefined;
    else {
      try {
        const json = JSON.parse(next) as unknown;
        // A bare number or word stays text (a template); objects, arrays and quoted strings are JSON.
        if (typeof json === "object" || next.trim().startsWith('"')) parsed = json;
      } catch {
        // a template string
      }
    }
    setState({ source: parsed, text: next });
    onChange(parsed);
  };
  return (
    <EditorField
      id={id}
      label={<FieldLabel field={field} />}
      name={field.label}
      help={field.help}
      error={error}
      kind="template"
      value={text}
      readOnly={readOnly}
      variables={variables}
      onChange={edit}
      onTouch={onTouch}
    />
  );
}
