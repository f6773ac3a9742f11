"use client";

import Link from "next/link";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { providerLabel } from "@/features/connections/providers";
import { FieldLabel } from "./field-label";
import { emptyToUndefined, type FieldEditorProps } from "./types";
import { useWorkspaceConnections } from "./use-connections";

/** An AI connection of the workspace, by name and provider. */
export function ConnectionField({ id, field, value, error, onChange, onTouch }: FieldEditorProps) {
  const { workspaceId, connections, pending } = useWorkspaceConnections();
  const text = typeof value === "string" ? value : "";
  const known = connections?.some((c) => c.id === text) ?? true;
  const hint =
    connections && connections.length === 0 ? (
      <>
        This workspace has no connections yet:{" "}
        <Link className="underline underline-offset-4" href={`/w/${workspaceId}/connections`}>
          add one
        </Link>
        .
      </>
    ) : (
      field.help
    );
  return (
    <Field id={id} label={<FieldLabel field={field} />} error={error} hint={hint}>
      {(control) => (
        <Select {...control} value={text} onChange={(e) => onChange(emptyToUndefined(field, e.target.value))} onBlur={onTouch} aria-busy={pending || undefined}>
          <option value="">{pending ? "Loading connections…" : "Choose a connection"}</option>
          {!known && text ? <option value={text}>Unknown connection ({text.slice(0, 8)}…)</option> : null}
          {connections?.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({providerLabel(c.provider)})
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}
