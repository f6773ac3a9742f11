import type { ConfigField } from "@weft/flow";

/** A field's label, with "(optional)" for fields that may stay empty and have no default. */
export function FieldLabel({ field }: { field: ConfigField }) {
  return (
    <>
      {field.label}
      {field.required || field.default !== undefined ? null : <span className="ml-1 font-normal text-muted-foreground">(optional)</span>}
    </>
  );
}
