"use client";

import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Ban, RotateCcw, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useTRPC } from "@/trpc/client";

type Action = "retry" | "cancel" | "delete";
type Outcome = { ok: boolean };

const copy: Record<Action, { title: (n: number) => string; description: string; confirm: string }> = {
  retry: {
    title: (n) => `Retry ${n} run${n === 1 ? "" : "s"}?`,
    description: "Each ended run starts again as a new run with the same input and the same flow version. Runs still going are left alone.",
    confirm: "Retry",
  },
  cancel: {
    title: (n) => `Cancel ${n} run${n === 1 ? "" : "s"}?`,
    description: "The steps in progress are stopped and nothing after them runs. Runs that already ended are left alone.",
    confirm: "Cancel runs",
  },
  delete: {
    title: (n) => `Delete ${n} run${n === 1 ? "" : "s"}?`,
    description: "The runs, their steps and their events are deleted for good. Runs still going cannot be deleted: cancel them first.",
    confirm: "Delete runs",
  },
};

/**
 * Retry, cancel or delete the selected runs, each after a confirmation; `onDone` gets what happened
 * (the list shows it: after deleting every run this toolbar is gone with the table).
 */
export function BulkActions({ workspaceId, selected, onDone }: { workspaceId: string; selected: string[]; onDone: (result: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<Action | null>(null);
  const finish = async (message: string) => {
    setAsking(null);
    await queryClient.invalidateQueries({ queryKey: trpc.executions.list.pathKey() });
    onDone(message);
  };
  const summary = (verb: string, results: Outcome[]) => {
    const ok = results.filter((r) => r.ok).length;
    const skipped = results.length - ok;
    return `${verb} ${ok} run${ok === 1 ? "" : "s"}${skipped ? `; ${skipped} skipped (${verb === "Cancelled" ? "already ended" : "still going"})` : ""}.`;
  };
  const retry = useMutation(trpc.executions.retryMany.mutationOptions({ onSuccess: (r) => finish(summary("Retried", r.results)) }));
  const cancel = useMutation(trpc.executions.cancelMany.mutationOptions({ onSuccess: (r) => finish(summary("Cancelled", r.results)) }));
  const remove = useMutation(
    trpc.executions.deleteMany.mutationOptions({ onSuccess: (r) => finish(`Deleted ${r.deleted.length} run${r.deleted.length === 1 ? "" : "s"}.`) }),
  );
  const mutations = { retry, cancel, delete: remove };
  const current = asking ? mutations[asking] : null;
  const n = selected.length;

  return (
    <div className="flex flex-wrap items-center gap-2" role="toolbar" aria-label="Selected runs" data-testid="bulk-actions">
      <span className="text-sm font-medium" data-testid="bulk-count">
        {n} selected
      </span>
      <Button type="button" size="sm" variant="outline" disabled={n === 0} onClick={() => setAsking("retry")}>
        <RotateCcw aria-hidden />
        Retry
      </Button>
      <Button type="button" size="sm" variant="outline" disabled={n === 0} onClick={() => setAsking("cancel")}>
        <Ban aria-hidden />
        Cancel
      </Button>
      <Button type="button" size="sm" variant="destructive-outline" disabled={n === 0} onClick={() => setAsking("delete")}>
        <Trash2 aria-hidden />
        Delete
      </Button>
      {asking && current ? (
        <ConfirmDialog
          open
          onClose={() => {
            current.reset();
            setAsking(null);
          }}
          title={copy[asking].title(n)}
          description={copy[asking].description}
          confirmLabel={copy[asking].confirm}
          pending={current.isPending}
          error={current.error?.message}
          onConfirm={() => current.mutate({ workspaceId, executionIds: selected })}
        />
      ) : null}
    </div>
  );
}
