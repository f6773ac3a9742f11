"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Cable, Pencil, Plus, Trash2 } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { fromTRPCError } from "@/features/forms/server-error";
import { useTRPC, type RouterOutputs } from "@/trpc/client";
import { providerLabel } from "./providers";
import { CreateConnectionForm, EditConnectionForm } from "./connection-forms";
import { TableHead } from "@/components/ui/table-head";

export type Connection = RouterOutputs["connections"]["list"][number];

/** The workspace's LLM connections; admins and owners also create, edit and delete them. */
export function ConnectionsManager({
  workspaceId,
  canManage,
  initialConnections,
}: {
  workspaceId: string;
  canManage: boolean;
  initialConnections: Connection[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.connections.list.queryOptions({ workspaceId }, { initialData: initialConnections }));
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Connection | null>(null);
  const [deleting, setDeleting] = useState<Connection | null>(null);

  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.connections.list.queryKey({ workspaceId }) });
  const remove = useMutation(
    trpc.connections.delete.mutationOptions({
      onSuccess: async () => {
        setDeleting(null);
        await invalidate();
      },
    }),
  );

  const connections = list.data;
  const newButton = canManage ? (
    <Button type="button" onClick={() => setCreating(true)}>
      <Plus aria-hidden />
      New connection
    </Button>
  ) : null;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        {canManage ? (
          <p className="text-sm text-muted-foreground">Keys are encrypted at rest and never shown again after you save them.</p>
        ) : (
          <Alert variant="info" className="flex-1">
            Only admins can manage connections. You can see which ones exist; ask an admin of this workspace to add or change one.
          </Alert>
        )}
        {newButton}
      </div>

      {list.error ? <Alert variant="error">{list.error.message}</Alert> : null}

      {connections.length === 0 ? (
        <EmptyState icon={Cable} title="No connections yet">
          <p>
            A connection holds the credentials AI blocks use to call a model provider: OpenAI, Anthropic, or any OpenAI-compatible
            server (vLLM, Ollama, OpenRouter, LiteLLM...).
          </p>
          {canManage ? <p>Add one with “New connection”; the flows of this workspace can then pick it.</p> : null}
        </EmptyState>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-border">
          <table className="w-full text-sm">
            <caption className="sr-only">Connections</caption>
            <TableHead
              columns={["Name", "Provider", "Base URL", "Created", ...(canManage ? [{ label: "Actions", hidden: true }] : [])]}
              className="bg-muted/50"
              cellClassName="px-4 py-2.5"
            />
            <tbody className="divide-y divide-border">
              {connections.map((connection) => (
                <tr key={connection.id}>
                  <th scope="row" className="px-4 py-3 text-left font-medium">
                    {connection.name}
                  </th>
                  <td className="px-4 py-3">
                    <Badge variant="outline">{providerLabel(connection.provider)}</Badge>
                  </td>
                  <td className="max-w-64 truncate px-4 py-3 font-mono text-xs" title={connection.baseUrl ?? undefined}>
                    {connection.baseUrl ?? <span className="font-sans text-muted-foreground">Provider default</span>}
                  </td>
                  <td className="px-4 py-3 whitespace-nowrap text-muted-foreground">
                    <LocalTime value={connection.createdAt} />
                  </td>
                  {canManage ? (
                    <td className="px-4 py-3">
                      <div className="flex justify-end gap-1">
                        <Button type="button" variant="ghost" size="sm" onClick={() => setEditing(connection)}>
                          <Pencil aria-hidden />
                          Edit<span className="sr-only"> {connection.name}</span>
                        </Button>
                        <Button
                          type="button"
                          variant="ghost"
                          size="sm"
                          className="text-destructive"
                          onClick={() => {
                            remove.reset();
                            setDeleting(connection);
                          }}
                        >
                          <Trash2 aria-hidden />
                          Delete<span className="sr-only"> {connection.name}</span>
                        </Button>
                      </div>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {canManage ? (
        <>
          <Dialog
            open={creating}
            onClose={() => setCreating(false)}
            title="New connection"
            description="Credentials for a model provider. The API key is encrypted and can be replaced later, but never read back."
          >
            <CreateConnectionForm
              workspaceId={workspaceId}
              onDone={async () => {
                setCreating(false);
                await invalidate();
              }}
              onCancel={() => setCreating(false)}
            />
          </Dialog>
          <Dialog open={editing !== null} onClose={() => setEditing(null)} title={`Edit ${editing?.name ?? "connection"}`}>
            {editing ? (
              <EditConnectionForm
                key={editing.id}
                workspaceId={workspaceId}
                connection={editing}
                onDone={async () => {
                  setEditing(null);
                  await invalidate();
                }}
                onCancel={() => setEditing(null)}
              />
            ) : null}
          </Dialog>
          <ConfirmDialog
            open={deleting !== null}
            onClose={() => setDeleting(null)}
            title={`Delete ${deleting?.name ?? "connection"}?`}
            description="Its stored API key is erased. Flows that use this connection will fail until they are pointed at another one."
            confirmLabel="Delete connection"
            pending={remove.isPending}
            error={fromTRPCError(remove.error)?.message}
            onConfirm={() => {
              if (deleting) remove.mutate({ workspaceId, connectionId: deleting.id });
            }}
          />
        </>
      ) : null}
    </div>
  );
}
