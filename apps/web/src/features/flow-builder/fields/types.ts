import type { ConfigField } from "@weft/flow";
import type { Variable } from "../variables";

/** What every field editor takes. Errors arrive only once the field was touched, or after Validate. */
export type FieldEditorProps = {
  /** The control's id: `cfg-<node>-<key>` (the problems panel focuses it). */
  id: string;
  field: ConfigField;
  value: unknown;
  error: string | null;
  /** Errors inside the field, by path (`routes.1.when`), under the same rule. */
  pathErrors: ReadonlyMap<string, string>;
  readOnly: boolean;
  onChange: (value: unknown) => void;
  /** The user left the field: its errors may show from now on. */
  onTouch: () => void;
  /** What templates and code of this block can use (the variable picker). */
  variables: readonly Variable[];
  /** The whole config (a model field reads the chosen connection, routes read the router's mode). */
  config: Readonly<Record<string, unknown>>;
};

/** An emptied optional field is left out of the config. */
export const emptyToUndefined = (field: ConfigField, next: string): string | undefined => (next === "" && !field.required ? undefined : next);
