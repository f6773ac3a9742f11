"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Check, Copy, KeyRound, TriangleAlert } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { LocalTime } from "@/components/ui/local-time";
import { Select } from "@/components/ui/select";
import { fieldError, formError, fromTRPCError } from "@/features/forms/server-error";
import type { WorkspaceRole } from "@/features/workspaces/get-workspace";
import { useTRPC, type RouterOutputs } from "@/trpc/client";
import { roleLabel, roleOptions } from "./roles";
import { TableHead } from "@/components/ui/table-head";

type ApiKey = RouterOutputs["apiKeys"]["list"][number];

const rank: Record<WorkspaceRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

export function ApiKeysSection({ workspaceId, role, initialKeys }: { workspaceId: string; role: WorkspaceRole; initialKeys: ApiKey[] | null }) {
  return (
    <Card id="api-keys" aria-labelledby="api-keys-title" className="scroll-mt-6">
      <CardHeader>
        <CardTitle id="api-keys-title">API keys</CardTitle>
        <CardDescription>
          Keys authenticate scripts and integrations against the{" "}
          <a href="/api/v1/openapi.json" className="font-medium text-foreground underline underline-offset-4">
            REST API
          </a>{" "}
          with <code className="rounded bg-muted px-1 py-0.5 font-mono text-xs">Authorization: Bearer &lt;key&gt;</code>. A key belongs
          to this workspace and acts with the role it was given.
        </CardDescription>
      </CardHeader>
      {initialKeys ? (
        <ApiKeysManager workspaceId={workspaceId} role={role} initialKeys={initialKeys} />
      ) : (
        <CardContent>
          <p className="text-sm text-muted-foreground">Only admins can see and manage API keys.</p>
        </CardContent>
      )}
    </Card>
  );
}

function ApiKeysManager({ workspaceId, role, initialKeys }: { workspaceId: string; role: WorkspaceRole; initialKeys: ApiKey[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKeys.list.queryOptions({ workspaceId }, { initialData: initialKeys }));
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey({ workspaceId }) });
  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: async () => {
        setRevoking(null);
        await invalidate();
      },
    }),
  );

  return (
    <>
      <CardContent className="border-b border-border">
        <CreateApiKeyForm workspaceId={workspaceId} role={role} onCreated={invalidate} />
      </CardContent>
      {keys.data.length === 0 ? (
        <CardContent>
          <p className="text-sm text-muted-foreground">No API keys yet.</p>
        </CardContent>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">API keys</caption>
            <TableHead columns={["Name", "Key", "Role", "Created", "Last used", "Status", { label: "Actions", hidden: true }]} rowClassName="border-b border-border" cellClassName="px-5 py-2.5" />
            <tbody className="divide-y divide-border">
              {keys.data.map((key) => (
                <tr key={key.id} className={key.revokedAt ? "text-muted-foreground" : undefined}>
                  <th scope="row" className="px-5 py-3 text-left font-medium">
                    {key.name}
                  </th>
                  <td className="px-5 py-3 font-mono text-xs whitespace-nowrap">{key.prefix}…</td>
                  <td className="px-5 py-3">
                    <Badge variant="outline">{roleLabel(key.role)}</Badge>
                  </td>
                  <td className="px-5 py-3 whitespace-nowrap">
                    <LocalTime value={key.createdAt} />
                  </td>
                  <td className="px-5 py-3 whitespace-nowrap">
                    <LocalTime value={key.lastUsedAt} fallback="Never" />
                  </td>
                  <td className="px-5 py-3 whitespace-nowrap">
                    {key.revokedAt ? (
                      <Badge variant="destructive">
                        Revoked <LocalTime value={key.revokedAt} />
                      </Badge>
                    ) : (
                      <Badge variant="success">Active</Badge>
                    )}
                  </td>
                  <td className="px-5 py-3 text-right">
                    {key.revokedAt ? null : (
                      <Button
                        type="button"
                        size="sm"
                        variant="ghost"
                        className="text-destructive"
                        onClick={() => {
                          revoke.reset();
                          setRevoking(key);
                        }}
                      >
                        Revoke<span className="sr-only"> {key.name}</span>
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke ${revoking?.name ?? "API key"}?`}
        description="It stops working at once: every script or integration using it gets 401. This cannot be undone."
        confirmLabel="Revoke key"
        pending={revoke.isPending}
        error={fromTRPCError(revoke.error)?.message}
        onConfirm={() => {
          if (revoking) revoke.mutate({ workspaceId, apiKeyId: revoking.id });
        }}
      />
    </>
  );
}

function CreateApiKeyForm({ workspaceId, role, onCreated }: { workspaceId: string; role: WorkspaceRole; onCreated: () => Promise<void> }) {
  const trpc = useTRPC();
  const [name, setName] = useState("");
  const [keyRole, setKeyRole] = useState<Exclude<WorkspaceRole, "owner">>("member");
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: async (result) => {
        setCreated({ name: result.apiKey.name, key: result.key });
        setName("");
        await onCreated();
      },
    }),
  );
  const error = fromTRPCError(create.error);
  const topError = formError(error, ["name", "role"]);
  // A key acts with at most its creator's role; owner keys are not issued.
  const options = roleOptions.filter((option) => option.value !== "owner" && rank[option.value] <= rank[role]);

  return (
    <div className="flex flex-col gap-4">
      {created ? <NewKeyBox name={created.name} secret={created.key} onDone={() => setCreated(null)} /> : null}
      <form
        noValidate
        className="flex flex-col gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          setCreated(null);
          create.mutate({ workspaceId, name, role: keyRole });
        }}
      >
        <h3 className="text-sm font-medium">Create an API key</h3>
        {topError ? <Alert variant="error">{topError}</Alert> : null}
        <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
          <Field id="api-key-name" label="Name" error={fieldError(error, "name")} hint="What uses it, e.g. “CI deploy script”." className="flex-1">
            {(control) => <Input {...control} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />}
          </Field>
          <Field id="api-key-role" label="Role" error={fieldError(error, "role")} className="sm:w-40">
            {(control) => (
              <Select {...control} value={keyRole} onChange={(e) => setKeyRole(e.target.value as Exclude<WorkspaceRole, "owner">)}>
                {options.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Button type="submit" pending={create.isPending} className="sm:mt-[1.375rem]">
            <KeyRound aria-hidden />
            Create key
          </Button>
        </div>
      </form>
    </div>
  );
}

/** The full key, shown once right after it is created. Only its hash is stored. */
function NewKeyBox({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  return (
    <div className="flex flex-col gap-3 rounded-md border border-warning/60 bg-warning/10 p-4" role="region" aria-labelledby="new-key-title">
      <div className="flex items-start gap-2">
        <TriangleAlert className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden />
        <div className="flex flex-col gap-0.5">
          <p id="new-key-title" className="text-sm font-semibold">
            API key “{name}” created
          </p>
          <p className="text-sm">Copy it now and store it somewhere safe: you won't see it again.</p>
        </div>
      </div>
      <div className="flex flex-col gap-2 sm:flex-row">
        <label htmlFor="new-api-key" className="sr-only">
          New API key
        </label>
        <Input
          id="new-api-key"
          readOnly
          value={secret}
          onFocus={(event) => event.currentTarget.select()}
          className="font-mono text-xs"
          spellCheck={false}
        />
        <Button
          type="button"
          variant="outline"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(secret);
              setCopied("yes");
            } catch {
              setCopied("failed");
            }
          }}
        >
          {copied === "yes" ? <Check aria-hidden /> : <Copy aria-hidden />}
          {copied === "yes" ? "Copied" : "Copy"}
        </Button>
        <Button type="button" variant="ghost" onClick={onDone}>
          Done
        </Button>
      </div>
      <p role="status" className="text-xs text-muted-foreground empty:hidden">
        {copied === "failed" ? "Copying is blocked here: select the key and copy it by hand." : ""}
      </p>
    </div>
  );
}
