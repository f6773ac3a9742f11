"use client";

import { useMemo, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input, controlClasses } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { cn } from "@/components/ui/cn";
import { describeProblems, formFromSchema, initialValues, inputFromForm, schemaProblems, type FormValues, type InputField } from "./input-form";

/** What the run dialog remembers per flow (this browser's localStorage): the last input it started. */
type Remembered = { asJson: boolean; values: FormValues; text: string };
const rememberKey = (flowId: string) => `weft:run-input:${flowId}`;

function recall(flowId: string): Remembered | null {
  try {
    const raw = window.localStorage.getItem(rememberKey(flowId));
    const parsed = raw ? (JSON.parse(raw) as Partial<Remembered>) : null;
    if (!parsed || typeof parsed.text !== "string" || typeof parsed.values !== "object" || parsed.values === null) return null;
    return { asJson: parsed.asJson === true, values: parsed.values, text: parsed.text };
  } catch {
    return null;
  }
}

function remember(flowId: string, value: Remembered) {
  try {
    window.localStorage.setItem(rememberKey(flowId), JSON.stringify(value));
  } catch {
    // Storage full or off: the dialog just starts from the defaults next time.
  }
}

/**
 * Starts a run of the DRAFT being edited (the builder's Run never runs the published version). With
 * an input schema on the start block that the form supports, the input is a form generated from it
 * (with a switch to raw JSON); otherwise a JSON textarea. Either way the input is checked against the
 * schema before the run starts, and problems name the field. The last input started is remembered
 * per flow.
 */
export function RunDialog({
  open,
  onClose,
  flowId,
  source,
  onRun,
}: {
  open: boolean;
  onClose: () => void;
  flowId: string;
  source: unknown;
  onRun: (input: unknown) => Promise<void>;
}) {
  const inputSchema = source && typeof source === "object" ? (source as { inputSchema?: unknown }).inputSchema : undefined;
  const fields = useMemo(() => formFromSchema(inputSchema), [inputSchema]);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Run the draft"
      description={
        <>
          <span className="block" data-testid="runs-draft">
            Runs the draft you are editing, even if a version is published. Webhooks, schedules and the API run the published version.
          </span>
          <span className="mt-1 block">
            {fields
              ? "The run input, from the start block's input schema."
              : "The run input, as JSON. It is checked against the start block's input schema, if it has one."}
          </span>
        </>
      }
    >
      {/* Mounted while open only: each opening starts from the last input, else the schema's defaults. */}
      <RunForm flowId={flowId} schema={inputSchema} fields={fields} onClose={onClose} onRun={onRun} />
    </Dialog>
  );
}

function RunForm({
  flowId,
  schema,
  fields,
  onClose,
  onRun,
}: {
  flowId: string;
  schema: unknown;
  fields: InputField[] | null;
  onClose: () => void;
  onRun: (input: unknown) => Promise<void>;
}) {
  const [last] = useState(() => recall(flowId));
  const [asJson, setAsJson] = useState(fields === null || (last?.asJson ?? false));
  const [values, setValues] = useState<FormValues>(() => (fields ? { ...initialValues(fields), ...(last?.values ?? {}) } : {}));
  const [text, setText] = useState(last?.text ?? "{}");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const switchMode = () => {
    setFieldErrors({});
    setError(null);
    if (!asJson && fields) {
      setText(JSON.stringify(inputFromForm(fields, values).input, null, 2));
    }
    setAsJson(!asJson);
  };

  /** The input to run with, or null after showing what is wrong. */
  const collect = (): { input: unknown } | null => {
    if (!asJson && fields) {
      const { input, errors } = inputFromForm(fields, values);
      const problems = Object.keys(errors).length > 0 ? errors : schemaProblems(schema, input);
      if (Object.keys(problems).length > 0) {
        setFieldErrors(problems);
        setError(`Check the input: ${describeProblems(problems, fields)}.`);
        return null;
      }
      return { input };
    }
    let input: unknown;
    try {
      input = text.trim() === "" ? undefined : (JSON.parse(text) as unknown);
    } catch {
      setError("Not valid JSON");
      return null;
    }
    const problems = schemaProblems(schema, input ?? {});
    if (Object.keys(problems).length > 0) {
      setError(`Check the input: ${describeProblems(problems, fields ?? [])}.`);
      return null;
    }
    return { input };
  };

  return (
    <form
      noValidate
      className="flex flex-col gap-3"
      onSubmit={async (event) => {
        event.preventDefault();
        setFieldErrors({});
        setError(null);
        const collected = collect();
        if (!collected) return;
        setPending(true);
        try {
          remember(flowId, { asJson, values, text: asJson ? text : JSON.stringify(collected.input ?? {}, null, 2) });
          await onRun(collected.input);
        } catch (e) {
          setError(e instanceof Error ? e.message : "Could not start the run");
        } finally {
          setPending(false);
        }
      }}
    >
      {asJson ? (
        <Field id="run-input" label="Input" error={error}>
          {(control) => (
            <textarea
              {...control}
              rows={6}
              spellCheck={false}
              className={cn(controlClasses, "h-auto py-2 font-mono text-xs")}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          )}
        </Field>
      ) : (
        <>
          {error ? <Alert variant="error">{error}</Alert> : null}
          {fields?.map((field) => (
            <InputFieldControl
              key={field.name}
              field={field}
              value={values[field.name]}
              error={fieldErrors[field.name] ? `${field.label} ${fieldErrors[field.name]}` : null}
              onChange={(value) => setValues((v) => ({ ...v, [field.name]: value }))}
            />
          ))}
        </>
      )}
      <div className="flex items-center justify-between gap-2">
        <div>
          {fields ? (
            <Button type="button" variant="ghost" size="sm" onClick={switchMode}>
              {asJson ? "Use the form" : "Edit as JSON"}
            </Button>
          ) : null}
        </div>
        <div className="flex gap-2">
          <Button type="button" variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" pending={pending}>
            Start run
          </Button>
        </div>
      </div>
    </form>
  );
}

/** One field of an input form generated from an `inputSchema` (also the block test panel's). */
export function InputFieldControl({
  field,
  value,
  error,
  onChange,
  idPrefix = "run-input",
}: {
  field: InputField;
  value: string | boolean | undefined;
  error: string | null;
  onChange: (value: string | boolean) => void;
  idPrefix?: string;
}) {
  const id = `${idPrefix}-${field.name}`;
  const text = typeof value === "string" ? value : "";
  const label = (
    <>
      {field.label}
      {field.required ? (
        <span className="ml-0.5 text-destructive" aria-hidden>
          *
        </span>
      ) : (
        <span className="ml-1 font-normal text-muted-foreground">(optional)</span>
      )}
    </>
  );

  if (field.kind === "boolean") {
    return (
      <div className="flex flex-col gap-1">
        <div className="flex items-center gap-2">
          <input
            id={id}
            type="checkbox"
            checked={value === true}
            aria-describedby={field.description ? `${id}-hint` : undefined}
            onChange={(e) => onChange(e.target.checked)}
          />
          <label htmlFor={id} className="text-sm font-medium">
            {field.label}
          </label>
        </div>
        {field.description ? (
          <p id={`${id}-hint`} className="text-xs text-muted-foreground">
            {field.description}
          </p>
        ) : null}
        {error ? <p className="text-sm text-destructive">{error}</p> : null}
      </div>
    );
  }

  // Sentences: a description without a full stop still reads as one before "One item per line.".
  const sentence = field.description?.trim().replace(/([^.!?])$/, "$1.");
  const hint = field.kind === "list" ? [sentence, "One item per line."].filter(Boolean).join(" ") : field.description;
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(control) => {
        const common = { ...control, required: field.required, "aria-required": field.required };
        switch (field.kind) {
          case "enum":
            return (
              <Select {...common} value={text} onChange={(e) => onChange(e.target.value)}>
                <option value="">—</option>
                {field.options?.map((option, i) => (
                  <option key={String(option)} value={String(i)}>
                    {String(option)}
                  </option>
                ))}
              </Select>
            );
          case "list":
            return (
              <textarea
                {...common}
                rows={4}
                className={cn(controlClasses, "h-auto py-2")}
                value={text}
                onChange={(e) => onChange(e.target.value)}
              />
            );
          case "number":
          case "integer":
            return <Input {...common} type="number" step={field.kind === "integer" ? 1 : "any"} value={text} onChange={(e) => onChange(e.target.value)} />;
          default:
            return (
              <Input
                {...common}
                type={field.format === "email" ? "email" : field.format === "uri" || field.format === "url" ? "url" : "text"}
                value={text}
                onChange={(e) => onChange(e.target.value)}
              />
            );
        }
      }}
    </Field>
  );
}
