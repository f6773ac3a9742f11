"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { Ban, Check, Pause, Play, RotateCcw, StepForward, X } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Label } from "@/components/ui/label";
import { useTRPC } from "@/trpc/client";
import { isActive, isTerminal } from "@weft/flow";

/** The actions that apply to the run's status. Rendered only for roles that may act (not viewers). */
export function ExecutionActions({
  workspaceId,
  executionId,
  status,
  pauseReason,
  awaitingApproval,
  onChanged,
}: {
  workspaceId: string;
  executionId: string;
  status: string;
  pauseReason: string | null;
  awaitingApproval: boolean;
  onChanged: () => void;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [comment, setComment] = useState("");
  const options = { onSuccess: () => onChanged() };
  const cancel = useMutation(
    trpc.executions.cancel.mutationOptions({
      onSuccess: () => {
        setConfirmCancel(false);
        onChanged();
      },
    }),
  );
  const pause = useMutation(trpc.executions.pause.mutationOptions(options));
  const resume = useMutation(trpc.executions.resume.mutationOptions(options));
  const decided = {
    onSuccess: () => {
      setComment("");
      onChanged();
    },
  };
  const approve = useMutation(trpc.executions.approve.mutationOptions(decided));
  const reject = useMutation(trpc.executions.reject.mutationOptions(decided));
  const resumeFromFailed = useMutation(trpc.executions.resumeFromFailedNode.mutationOptions(options));
  const retry = useMutation(
    trpc.executions.retry.mutationOptions({ onSuccess: (run) => router.push(`/w/${workspaceId}/executions/${run.executionId}`) }),
  );
  const error = [pause, resume, approve, reject, resumeFromFailed, retry].find((m) => m.error)?.error;
  const ids = { workspaceId, executionId };

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        {status === "running" ? (
          <Button type="button" variant="outline" size="sm" pending={pause.isPending} onClick={() => pause.mutate(ids)}>
            <Pause aria-hidden />
            Pause
          </Button>
        ) : null}
        {status === "paused" && pauseReason !== "approval" && !awaitingApproval ? (
          <Button type="button" variant="outline" size="sm" pending={resume.isPending} onClick={() => resume.mutate(ids)}>
            <Play aria-hidden />
            Resume
          </Button>
        ) : null}
        {isActive(status) ? (
          <Button type="button" variant="destructive-outline" size="sm" onClick={() => setConfirmCancel(true)}>
            <Ban aria-hidden />
            Cancel run
          </Button>
        ) : null}
        {status === "failed" ? (
          <Button type="button" variant="outline" size="sm" pending={resumeFromFailed.isPending} onClick={() => resumeFromFailed.mutate(ids)}>
            <StepForward aria-hidden />
            Resume from failed node
          </Button>
        ) : null}
        {isTerminal(status) ? (
          <Button type="button" variant="outline" size="sm" pending={retry.isPending} onClick={() => retry.mutate(ids)}>
            <RotateCcw aria-hidden />
            Retry
          </Button>
        ) : null}
      </div>

      {awaitingApproval ? (
        <form
          className="flex flex-col gap-2 rounded-md border border-warning/50 bg-warning/10 p-3"
          aria-label="Approval"
          onSubmit={(e) => {
            e.preventDefault();
            approve.mutate({ ...ids, comment: comment || undefined });
          }}
        >
          <Label htmlFor="approval-comment">Comment (optional)</Label>
          <textarea
            id="approval-comment"
            className="min-h-16 rounded-md border border-border bg-background px-3 py-2 text-sm"
            maxLength={4000}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
          <div className="flex gap-2">
            <Button type="submit" size="sm" pending={approve.isPending}>
              <Check aria-hidden />
              Approve
            </Button>
            <Button type="button" size="sm" variant="destructive-outline" pending={reject.isPending} onClick={() => reject.mutate({ ...ids, comment: comment || undefined })}>
              <X aria-hidden />
              Reject
            </Button>
          </div>
        </form>
      ) : null}

      {error ? <Alert variant="error">{error.message}</Alert> : null}

      <ConfirmDialog
        open={confirmCancel}
        onClose={() => setConfirmCancel(false)}
        title="Cancel this run?"
        description="The step in progress is stopped and nothing after it runs."
        confirmLabel="Cancel run"
        pending={cancel.isPending}
        error={cancel.error?.message}
        onConfirm={() => cancel.mutate(ids)}
      />
    </div>
  );
}
