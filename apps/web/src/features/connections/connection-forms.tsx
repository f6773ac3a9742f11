"use client";

import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { fieldError, formError, fromTRPCError } from "@/features/forms/server-error";
import { useTRPC } from "@/trpc/client";
import type { Connection } from "./connections-manager";
import { providers, type Provider } from "./providers";

const createFields = ["name", "provider", "apiKey", "baseUrl"] as const;

export function CreateConnectionForm({
  workspaceId,
  onDone,
  onCancel,
}: {
  workspaceId: string;
  onDone: () => void | Promise<void>;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const [name, setName] = useState("");
  const [provider, setProvider] = useState<Provider>("openai");
  const [apiKey, setApiKey] = useState("");
  const [baseUrl, setBaseUrl] = useState("");
  const create = useMutation(trpc.connections.create.mutationOptions({ onSuccess: onDone }));
  const error = fromTRPCError(create.error);
  const needsBaseUrl = provider === "openai_compatible";
  const topError = formError(error, createFields);

  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate({
          workspaceId,
          name,
          provider,
          apiKey,
          ...(needsBaseUrl && baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
        });
      }}
    >
      {topError ? <Alert variant="error">{topError}</Alert> : null}
      <Field id="connection-name" label="Name" error={fieldError(error, "name")} hint="How flows refer to it, e.g. “OpenAI production”.">
        {(control) => <Input {...control} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" autoFocus />}
      </Field>
      <Field id="connection-provider" label="Provider" error={fieldError(error, "provider")}>
        {(control) => (
          <Select {...control} value={provider} onChange={(e) => setProvider(e.target.value as Provider)}>
            {providers.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </Select>
        )}
      </Field>
      {needsBaseUrl ? (
        <Field
          id="connection-base-url"
          label="Base URL"
          error={fieldError(error, "baseUrl")}
          hint="The server's OpenAI-compatible API root, e.g. https://openrouter.ai/api/v1."
        >
          {(control) => (
            <Input {...control} type="url" inputMode="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="https://" required />
          )}
        </Field>
      ) : null}
      <Field id="connection-api-key" label="API key" error={fieldError(error, "apiKey")} hint="Stored encrypted. You will not be able to see it again.">
        {(control) => (
          <Input {...control} type="password" value={apiKey} onChange={(e) => setApiKey(e.target.value)} autoComplete="new-password" spellCheck={false} />
        )}
      </Field>
      <div className="flex justify-end gap-2 pt-1">
        <Button type="button" variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" pending={create.isPending}>
          Create connection
        </Button>
      </div>
    </form>
  );
}

const editFields = ["name", "apiKey", "baseUrl"] as const;

export function EditConnectionForm({
  workspaceId,
  connection,
  onDone,
  onCancel,
}: {
  workspaceId: string;
  connection: Connection;
  onDone: () => void | Promise<void>;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const [name, setName] = useState(connection.name);
  const [apiKey, setApiKey] = useState("");
  const [baseUrl, setBaseUrl] = useState(connection.baseUrl ?? "");
  const update = useMutation(trpc.connections.update.mutationOptions({ onSuccess: onDone }));
  const error = fromTRPCError(update.error);
  const topError = formError(error, editFields);
  const showBaseUrl = connection.provider === "openai_compatible" || connection.baseUrl !== null;
  const nextBaseUrl = baseUrl.trim() || null;
  const changes = {
    ...(name.trim() !== connection.name ? { name } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(showBaseUrl && nextBaseUrl !== connection.baseUrl ? { baseUrl: nextBaseUrl } : {}),
  };
  const changed = Object.keys(changes).length > 0;
  const baseUrlChanged = "baseUrl" in changes;

  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={(event) => {
        event.preventDefault();
        if (changed) update.mutate({ workspaceId, connectionId: connection.id, ...changes });
        else onCancel();
      }}
    >
      {topError ? <Alert variant="error">{topError}</Alert> : null}
      <Field id="edit-connection-name" label="Name" error={fieldError(error, "name")}>
        {(control) => <Input {...control} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />}
      </Field>
      {showBaseUrl ? (
        <Field
          id="edit-connection-base-url"
          label="Base URL"
          error={fieldError(error, "baseUrl")}
          hint={connection.provider === "openai_compatible" ? "Required for an OpenAI-compatible server." : "Leave empty to use the provider's default."}
        >
          {(control) => <Input {...control} type="url" inputMode="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />}
        </Field>
      ) : null}
      <Field
        id="edit-connection-api-key"
        label={baseUrlChanged ? "API key" : "Replace API key"}
        error={fieldError(error, "apiKey")}
        hint={
          baseUrlChanged
            ? "Re-enter the key: the stored key is never sent to a new base URL."
            : "Leave empty to keep the current key. The stored key is never shown."
        }
      >
        {(control) => (
          <Input
            {...control}
            type="password"
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            autoComplete="new-password"
            spellCheck={false}
            placeholder="••••••••"
          />
        )}
      </Field>
      <div className="flex justify-end gap-2 pt-1">
        <Button type="button" variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" pending={update.isPending} disabled={!changed}>
          Save changes
        </Button>
      </div>
    </form>
  );
}
