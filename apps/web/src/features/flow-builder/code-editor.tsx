"use client";

import { useMemo, useSyncExternalStore } from "react";
import { autocompletion, type CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import CodeMirror, { EditorView } from "@uiw/react-codemirror";
import { javascript } from "@codemirror/lang-javascript";
import { cn } from "@/components/ui/cn";

const DARK_QUERY = "(prefers-color-scheme: dark)";
const subscribeScheme = (onChange: () => void) => {
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
};

/** The app follows the OS colour scheme; so does the editor. */
function useDarkScheme(): boolean {
  return useSyncExternalStore(
    subscribeScheme,
    () => window.matchMedia(DARK_QUERY).matches,
    () => false,
  );
}

const look = EditorView.theme({
  "&": { fontSize: "12px" },
  "&.cm-focused": { outline: "none" },
  ".cm-scroller": { fontFamily: "var(--font-mono)", lineHeight: "1.5" },
  ".cm-gutters": { borderRight: "1px solid var(--border)" },
});

/**
 * CodeMirror for code (JavaScript: function bodies, router and loop expressions) and for prompts and
 * other long templates (plain text, wrapped). Labelled through `aria-labelledby` on its editable
 * element; Mod+Z inside it is the editor's own undo, not the canvas's.
 */
export function CodeEditor({
  id,
  value,
  onChange,
  language,
  labelledBy,
  describedBy,
  invalid,
  readOnly,
  minHeight = language === "javascript" ? "8rem" : "5rem",
  maxHeight = "24rem",
  placeholder,
  testId,
  completions,
  onView,
}: {
  /** Id of the editor's frame (its label points there). */
  id?: string;
  value: string;
  onChange: (value: string) => void;
  language: "javascript" | "text";
  labelledBy: string;
  describedBy?: string;
  invalid?: boolean;
  readOnly?: boolean;
  minHeight?: string;
  maxHeight?: string;
  placeholder?: string;
  testId?: string;
  /** Offered while typing (e.g. `input.email` after `input.`): paths in scope. */
  completions?: readonly string[];
  /** The editor view, once created (the variable picker inserts at its cursor). */
  onView?: (view: EditorView) => void;
}) {
  const dark = useDarkScheme();
  const extensions = useMemo(
    () => [
      ...(language === "javascript" ? [javascript()] : []),
      ...(completions && completions.length > 0 ? [autocompletion({ override: [pathCompletions(completions)], activateOnTyping: true })] : []),
      EditorView.lineWrapping,
      look,
      EditorView.contentAttributes.of({
        "aria-labelledby": labelledBy,
        ...(describedBy ? { "aria-describedby": describedBy } : {}),
        ...(invalid ? { "aria-invalid": "true" } : {}),
      }),
    ],
    [language, labelledBy, describedBy, invalid, completions],
  );
  return (
    <div
      id={id}
      data-testid={testId}
      className={cn(
        "overflow-hidden rounded-md border border-input shadow-xs focus-within:border-ring focus-within:outline-2 focus-within:outline-ring/50",
        invalid && "border-destructive",
        readOnly && "opacity-70",
      )}
    >
      <CodeMirror
        value={value}
        onChange={onChange}
        extensions={extensions}
        theme={dark ? "dark" : "light"}
        editable={!readOnly}
        readOnly={readOnly}
        minHeight={minHeight}
        maxHeight={maxHeight}
        onCreateEditor={onView}
        placeholder={placeholder}
        indentWithTab={false}
        basicSetup={{
          lineNumbers: language === "javascript",
          foldGutter: false,
          highlightActiveLine: false,
          highlightActiveLineGutter: false,
          autocompletion: false,
          searchKeymap: false,
        }}
      />
    </div>
  );
}

/** Completes dotted paths (`input.em` -> `input.email`) from a fixed list. */
function pathCompletions(paths: readonly string[]) {
  return (context: CompletionContext): CompletionResult | null => {
    const word = context.matchBefore(/[A-Za-z_$][\w$]*(?:\.[\w$]*|\["[^"]*"\]?)*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    if (!word.text.includes(".") && !context.explicit && !paths.some((p) => p.startsWith(word.text))) return null;
    return {
      from: word.from,
      options: paths.filter((p) => p.startsWith(word.text) && p !== word.text).map((p) => ({ label: p, type: "variable" })),
      validFor: /^[\w$.[\]"]*$/,
    };
  };
}
