"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useTRPC } from "@/trpc/client";

/**
 * "Re-run from here": a new run that keeps the stored outputs of the steps before this one (shown as
 * reused) and runs this step and everything after it, on the run's graph or on the flow's current
 * draft (after fixing it). Opens the new run.
 */
export function RerunDialog({
  workspaceId,
  executionId,
  fromNodeId,
  fromLabel,
  onClose,
}: {
  workspaceId: string;
  executionId: string;
  fromNodeId: string;
  fromLabel: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [useDraft, setUseDraft] = useState(true);
  const rerun = useMutation(
    trpc.executions.rerun.mutationOptions({
      onSuccess: (started) => router.push(`/w/${workspaceId}/executions/${started.executionId}`),
    }),
  );
  return (
    <Dialog open onClose={onClose} title={`Re-run from ${fromLabel}`} description="Steps before it keep their stored outputs and are not run again.">
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={useDraft} onChange={(e) => setUseDraft(e.target.checked)} />
        Use the flow&apos;s current draft (with your fixes)
      </label>
      {rerun.error ? (
        <p role="alert" className="text-sm text-destructive">
          {rerun.error.message}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button type="button" variant="ghost" onClick={onClose}>
          Cancel
        </Button>
        <Button type="button" disabled={rerun.isPending} onClick={() => rerun.mutate({ workspaceId, executionId, fromNodeId, useDraft })}>
          Re-run
        </Button>
      </div>
    </Dialog>
  );
}
