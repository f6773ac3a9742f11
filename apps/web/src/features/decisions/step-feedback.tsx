"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { FeedbackForm } from "./feedback-form";

/** Block types whose completed steps are decisions (an AI block, or a router). */
export const isDecisionBlock = (type: string | null) => type === "ai" || type === "router";

/**
 * The feedback control under an AI or router step of the timeline. The run's decisions come in one
 * query shared by every step of the run.
 */
export function StepFeedback({ workspaceId, executionId, nodeId, iteration, canEdit }: { workspaceId: string; executionId: string; nodeId: string; iteration: string | null; canEdit: boolean }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.decisions.list.queryOptions({ workspaceId, executionId, limit: 200 }));
  const decision = query.data?.items.find((d) => d.nodeId === nodeId && d.iteration === (iteration ?? ""));
  if (!decision) return null;
  return (
    <details data-testid="step-feedback" data-node-id={nodeId} className="-mt-1 rounded-b-lg border border-t-0 border-border bg-muted/30 px-4 py-2" open={Boolean(decision.feedback)}>
      <summary className="cursor-pointer text-xs text-muted-foreground select-none">
        Feedback{decision.feedback ? `: ${decision.feedback.verdict}` : ""}
        {decision.route ? ` (route ${decision.route})` : ""}
      </summary>
      <div className="mt-2">
        <FeedbackForm key={decision.feedback?.at ? String(decision.feedback.at) : "none"} workspaceId={workspaceId} decision={decision} canEdit={canEdit} />
      </div>
    </details>
  );
}
