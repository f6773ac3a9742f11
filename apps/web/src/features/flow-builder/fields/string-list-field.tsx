import { Input } from "@/components/ui/input";
import { hasRowErrors, listValue, RemoveButton, RowGroup } from "./row-group";
import type { FieldEditorProps } from "./types";
import { useModelSuggestions } from "./use-connections";

/** A list of short strings (parallel branches, fallback models): one input each. */
export function StringListField({ id, field, value, error, pathErrors, config, onChange, onTouch }: FieldEditorProps) {
  const items = Array.isArray(value) ? value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))) : [];
  const models = field.key === "fallbackModels";
  const { models: suggestions } = useModelSuggestions(models && typeof config.connectionId === "string" ? config.connectionId : undefined);
  const emit = (next: string[]) => onChange(listValue(field, next));
  const addLabel = field.key === "branches" ? "Add branch" : models ? "Add model" : `Add to ${field.label.toLowerCase()}`;
  return (
    <RowGroup id={id} field={field} error={hasRowErrors(pathErrors, field.key) ? null : error} addLabel={addLabel} onAdd={() => emit([...items, ""])}>
      {items.map((item, i) => {
        const itemError = pathErrors.get(`${field.key}.${i}`);
        return (
          <div key={i} className="flex flex-col gap-1">
            <div className="flex items-center gap-1">
              <Input
                aria-label={`${field.label} ${i + 1}`}
                aria-invalid={itemError ? true : undefined}
                list={models ? `${id}-models` : undefined}
                value={item}
                onChange={(e) => emit(items.map((old, j) => (j === i ? e.target.value : old)))}
                onBlur={onTouch}
              />
              <RemoveButton label={`Remove ${field.label} ${i + 1}`} onClick={() => emit(items.filter((_, j) => j !== i))} />
            </div>
            {itemError ? <p className="text-sm text-destructive">{itemError}</p> : null}
          </div>
        );
      })}
      {models ? (
        <datalist id={`${id}-models`}>
          {suggestions.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
      ) : null}
    </RowGroup>
  );
}
