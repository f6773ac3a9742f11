"use client";

import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { providerLabel } from "@/features/connections/providers";
import { FieldLabel } from "./field-label";
import { emptyToUndefined, type FieldEditorProps } from "./types";
import { useModelSuggestions } from "./use-connections";

/** A model id: free text, with the chosen connection's provider's known models suggested. */
export function ModelField({ id, field, value, error, config, onChange, onTouch }: FieldEditorProps) {
  const { provider, models } = useModelSuggestions(typeof config.connectionId === "string" ? config.connectionId : undefined);
  const hint = provider
    ? models.length > 0
      ? `Suggestions for ${providerLabel(provider)}; any model id works.`
      : "Any model id the server serves."
    : "Choose a connection for suggestions.";
  return (
    <Field id={id} label={<FieldLabel field={field} />} error={error} hint={hint}>
      {(control) => (
        <>
          <Input
            {...control}
            list={`${id}-models`}
            autoComplete="off"
            value={typeof value === "string" ? value : ""}
            onChange={(e) => onChange(emptyToUndefined(field, e.target.value))}
            onBlur={onTouch}
          />
          <datalist id={`${id}-models`}>
            {models.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}
