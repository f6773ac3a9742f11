"use client";

import { useMemo, useRef, useState } from "react";
import type { EditorView } from "@uiw/react-codemirror";
import { Maximize2 } from "lucide-react";
import { Dialog } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { CodeEditor } from "../code-editor";
import type { Variable } from "../variables";
import { VariablePicker } from "./variable-picker";

/**
 * CodeMirror with a label, its error and help, the variable picker and (code) a full-screen mode
 * with the same text. Templates insert `{{ ... }}`; code inserts `input.…` and completes it while
 * typing. Labelled by id: the editor is not a form control.
 */
export function EditorField({
  id,
  label,
  name,
  help,
  error,
  kind,
  value,
  readOnly,
  variables,
  minHeight,
  onChange,
  onTouch,
}: {
  id: string;
  label: React.ReactNode;
  /** The field's name in words (buttons say "Insert a variable into <name>"). */
  name: string;
  help?: string;
  error: string | null;
  kind: "code" | "template";
  value: string;
  readOnly: boolean;
  variables: readonly Variable[];
  minHeight?: string;
  onChange: (value: string) => void;
  onTouch?: () => void;
}) {
  const view = useRef<EditorView | null>(null);
  const [full, setFull] = useState(false);
  const completions = useMemo(() => (kind === "code" ? variables.flatMap((v) => (v.code ? [v.code] : [])) : undefined), [kind, variables]);
  const describedBy = [error ? `${id}-error` : null, help ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  const insert = (text: string) => {
    const v = view.current;
    if (!v) return onChange(value + text);
    v.dispatch(v.state.replaceSelection(text));
    v.focus();
  };
  const labelText = name;
  const editor = (fullScreen: boolean) => (
    <CodeEditor
      id={fullScreen ? `${id}-full` : id}
      labelledBy={`${id}-label`}
      describedBy={describedBy}
      invalid={error ? true : undefined}
      testId={fullScreen ? `${id}-full-editor` : `${id}-editor`}
      language={kind === "code" ? "javascript" : "text"}
      minHeight={fullScreen ? "60vh" : minHeight}
      maxHeight={fullScreen ? "75vh" : undefined}
      completions={completions}
      value={value}
      readOnly={readOnly}
      onChange={onChange}
      onView={(v) => {
        view.current = v;
      }}
    />
  );
  return (
    <div className="flex flex-col gap-1.5" onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && onTouch?.()}>
      <div className="flex items-center justify-between gap-2">
        {/* A click on the label focuses the editable area. */}
        <Label id={`${id}-label`} htmlFor={id} onClick={() => document.getElementById(id)?.querySelector<HTMLElement>(".cm-content")?.focus()}>
          {label}
        </Label>
        {readOnly ? null : (
          <div className="flex items-center gap-1">
            <VariablePicker variables={variables} mode={kind} onInsert={insert} label={labelText} />
            {kind === "code" ? (
              <button
                type="button"
                aria-label={`Edit ${labelText} full screen`}
                title="Full screen"
                onClick={() => setFull(true)}
                className="flex size-6 items-center justify-center rounded-md border border-border text-muted-foreground hover:bg-accent hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
              >
                <Maximize2 className="size-3.5" aria-hidden />
              </button>
            ) : null}
          </div>
        )}
      </div>
      {full ? null : editor(false)}
      {error ? (
        <p id={`${id}-error`} className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
      {help ? (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {help}
        </p>
      ) : null}
      <Dialog open={full} onClose={() => setFull(false)} title={labelText} description="The same code, with room. Escape or Close returns to the form." className="max-w-[min(64rem,calc(100vw-2rem))]">
        <div className="flex flex-col gap-2">
          <div className="flex justify-end">
            <VariablePicker variables={variables} mode={kind} onInsert={insert} label={labelText} />
          </div>
          {editor(true)}
        </div>
      </Dialog>
    </div>
  );
}
