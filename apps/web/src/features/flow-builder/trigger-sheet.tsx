"use client";

import { Dialog } from "@/components/ui/dialog";
import { FlowTriggers } from "@/features/triggers/flow-triggers";

/**
 * The flow's triggers (webhook, schedules) in a roomy sheet on the right, opened from the Start
 * block's badges or the header's Triggers button. The panels themselves are features/triggers'.
 */
export function TriggerSheet({ open, onClose, workspaceId, flowId, canEdit }: { open: boolean; onClose: () => void; workspaceId: string; flowId: string; canEdit: boolean }) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Triggers"
      description="What starts this flow besides Run: a webhook and schedules. They run the published version (or the draft while nothing is published)."
      className="mt-0 mr-0 mb-0 h-dvh max-h-dvh w-[min(44rem,100vw)] max-w-none overflow-y-auto rounded-none border-y-0 border-r-0"
    >
      <div data-testid="trigger-sheet">
        <FlowTriggers workspaceId={workspaceId} flowId={flowId} canEdit={canEdit} />
      </div>
    </Dialog>
  );
}
