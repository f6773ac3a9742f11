"use client";

import { useState, type ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { ChevronRight } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { useTRPC } from "@/trpc/client";
import { SchedulesPanel } from "./schedules-panel";
import { WebhookPanel } from "./webhook-panel";

/**
 * What starts a flow besides Run: its webhook and its schedules, as accordions in the builder's side
 * panel. A panel's content is mounted only while it is open, so its log refreshes only then.
 */
export function FlowTriggers({ workspaceId, flowId, canEdit }: { workspaceId: string; flowId: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const webhook = useQuery(trpc.webhooks.get.queryOptions({ workspaceId, flowId }));
  const schedules = useQuery(trpc.schedules.list.queryOptions({ workspaceId, flowId }));
  const webhookState = webhook.data ? (webhook.data.webhook ? (webhook.data.webhook.enabled ? "On" : "Disabled") : "None") : null;
  const activeSchedules = schedules.data?.filter((s) => s.enabled).length ?? 0;
  const schedulesState = schedules.data ? (schedules.data.length === 0 ? "None" : activeSchedules > 0 ? `${activeSchedules} on` : "Disabled") : null;

  return (
    <section aria-labelledby="flow-triggers-title" className="flex flex-col gap-2" data-testid="flow-triggers">
      <h3 id="flow-triggers-title" className="text-sm font-semibold">
        Flow triggers
      </h3>
      <Accordion title="Webhook" status={webhookState} on={webhookState === "On"} testId="trigger-webhook">
        <WebhookPanel workspaceId={workspaceId} flowId={flowId} canEdit={canEdit} />
      </Accordion>
      <Accordion title="Schedules" status={schedulesState} on={activeSchedules > 0} testId="trigger-schedules">
        <SchedulesPanel workspaceId={workspaceId} flowId={flowId} canEdit={canEdit} />
      </Accordion>
    </section>
  );
}

function Accordion({ title, status, on, testId, children }: { title: string; status: string | null; on: boolean; testId: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="group rounded-md border border-border" open={open} onToggle={(event) => setOpen(event.currentTarget.open)} data-testid={testId}>
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded-md px-2.5 py-2 text-sm font-medium hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring [&::-webkit-details-marker]:hidden">
        <ChevronRight className="size-4 shrink-0 transition-transform group-open:rotate-90" aria-hidden />
        <span className="flex-1">{title}</span>
        {status ? <Badge variant={on ? "success" : "outline"}>{status}</Badge> : null}
      </summary>
      {open ? <div className="border-t border-border p-2.5">{children}</div> : null}
    </details>
  );
}
