"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { History, Upload } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { LocalTime } from "@/components/ui/local-time";
import { useTRPC, useTRPCClient } from "@/trpc/client";
import { useFlowStoreApi } from "./store";

/**
 * Publish and the version list, in the builder's header. Publishing saves the draft first, then
 * snapshots it as the next immutable version; a flow with problems is refused, and its problems are
 * marked on the blocks. Viewers see the list only.
 */
export function FlowVersions({
  workspaceId,
  flowId,
  canEdit,
  publishedVersion,
  flush,
}: {
  workspaceId: string;
  flowId: string;
  canEdit: boolean;
  publishedVersion: number | null;
  /** Saves pending changes; false when the save failed (or hit a conflict). */
  flush: () => Promise<boolean>;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const store = useFlowStoreApi();
  const [open, setOpen] = useState(false);
  const [latest, setLatest] = useState(publishedVersion);
  const [error, setError] = useState<string | null>(null);
  const [published, setPublished] = useState<number | null>(null);

  const input = { workspaceId, flowId };
  const versions = useQuery(trpc.flows.versions.queryOptions(input, { enabled: open }));
  const members = useQuery(trpc.members.list.queryOptions({ workspaceId }, { enabled: open, staleTime: 60_000 }));
  const publish = useMutation(trpc.flows.publish.mutationOptions());

  const onPublish = async () => {
    setError(null);
    setPublished(null);
    if (!(await flush())) {
      setError("The flow could not be saved, so it was not published.");
      return;
    }
    try {
      const version = await publish.mutateAsync(input);
      setLatest(version.version);
      setPublished(version.version);
      await queryClient.invalidateQueries({ queryKey: trpc.flows.versions.queryKey(input) });
    } catch (e) {
      setError(e instanceof Error ? e.message : "Could not publish the flow");
      // Mark the problems on the blocks they concern.
      const result = await client.flows.validate.query(input).catch(() => null);
      if (result) store.getState().setProblems(result.problems);
    }
  };

  const author = (userId: string | null) => {
    if (!userId) return null;
    const member = members.data?.find((m) => m.userId === userId);
    return member ? member.name || member.email : "a former member";
  };

  return (
    <>
      <Button
        type="button"
        variant="outline"
        size="sm"
        onClick={() => {
          setOpen(true);
          setError(null);
          setPublished(null);
        }}
      >
        {canEdit ? <Upload aria-hidden /> : <History aria-hidden />}
        {canEdit ? "Publish" : "Versions"}
        {latest !== null ? (
          <Badge variant="success" className="ml-0.5" aria-label={`published version ${latest}`}>
            v{latest}
          </Badge>
        ) : null}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={canEdit ? "Publish and versions" : "Versions"}
        description="A published version is an immutable snapshot of the flow; webhooks and schedules run the newest one."
        className="max-w-lg"
      >
        {canEdit ? (
          <div className="flex flex-col gap-2">
            {error ? <Alert variant="error" title="Not published">{error}</Alert> : null}
            {published !== null ? (
              <p role="status" className="text-sm">
                Published as version {published}.
              </p>
            ) : null}
            <div>
              <Button type="button" pending={publish.isPending} onClick={() => void onPublish()}>
                <Upload aria-hidden />
                Publish the current draft
              </Button>
            </div>
          </div>
        ) : null}
        <section aria-labelledby="flow-versions-heading" className="flex flex-col gap-2">
          <h3 id="flow-versions-heading" className="text-sm font-semibold">
            Versions
          </h3>
          {versions.isPending ? (
            <p className="text-sm text-muted-foreground">Loading…</p>
          ) : versions.isError ? (
            <Alert variant="error">{versions.error.message}</Alert>
          ) : versions.data.length === 0 ? (
            <p className="text-sm text-muted-foreground">Not published yet.</p>
          ) : (
            <ol aria-label="Published versions" className="flex max-h-72 flex-col divide-y divide-border overflow-y-auto rounded-md border border-border">
              {versions.data.map((version) => (
                <li key={version.id} data-testid={`version-${version.version}`} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
                  <span className="font-medium">Version {version.version}</span>
                  <span className="text-right text-xs text-muted-foreground">
                    <LocalTime value={version.createdAt} />
                    {author(version.createdBy) ? <> · by {author(version.createdBy)}</> : null}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </section>
      </Dialog>
    </>
  );
}
