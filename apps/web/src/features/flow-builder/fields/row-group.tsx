import type { ReactNode } from "react";
import { Plus, X } from "lucide-react";
import type { ConfigField } from "@weft/flow";
import { Button } from "@/components/ui/button";
import { FieldLabel } from "./field-label";

/** A group of rows with a legend, help, an "Add" button and the field's error. */
export function RowGroup({
  id,
  field,
  error,
  addLabel,
  onAdd,
  children,
}: {
  id: string;
  field: ConfigField;
  error: string | null;
  addLabel: string;
  onAdd: () => void;
  children: ReactNode;
}) {
  return (
    <fieldset id={id} className="flex min-w-0 flex-col gap-1.5" aria-describedby={error ? `${id}-error` : undefined} data-testid={`${id}-rows`}>
      <legend className="mb-1.5 text-sm leading-none font-medium">
        <FieldLabel field={field} />
      </legend>
      {field.help ? <p className="-mt-1 text-xs text-muted-foreground">{field.help}</p> : null}
      {children}
      <div>
        <Button type="button" variant="ghost" size="sm" onClick={onAdd}>
          <Plus aria-hidden />
          {addLabel}
        </Button>
      </div>
      {error ? (
        <p id={`${id}-error`} className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

export function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <Button type="button" variant="ghost" size="icon" aria-label={label} title={label} onClick={onClick}>
      <X aria-hidden />
    </Button>
  );
}

/** A row editor's value: an emptied optional list is left out of the config. */
export const listValue = <T,>(field: ConfigField, items: T[]): T[] | undefined => (items.length === 0 && !field.required ? undefined : items);

/** Whether some error belongs to one of the field's rows (shown there rather than under the group). */
export const hasRowErrors = (pathErrors: ReadonlyMap<string, string>, key: string) => [...pathErrors.keys()].some((path) => path.startsWith(`${key}.`));
