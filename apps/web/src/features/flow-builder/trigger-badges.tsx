"use client";

import { useQuery } from "@tanstack/react-query";
import { CalendarClock, Webhook } from "lucide-react";
import { useTRPC } from "@/trpc/client";
import { useBuilderActions } from "./builder-context";

const badge =
  "nodrag inline-flex items-center gap-1 rounded-full border px-1.5 py-0.5 text-[11px] font-medium hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring";

/**
 * On the Start block: what else starts the flow (its webhook when on, its active schedules), as
 * badges that open the triggers sheet; "Add trigger" when there is none.
 */
export function TriggerBadges() {
  const { workspaceId, flowId, openTriggers } = useBuilderActions();
  const trpc = useTRPC();
  const webhook = useQuery(trpc.webhooks.get.queryOptions({ workspaceId, flowId }));
  const schedules = useQuery(trpc.schedules.list.queryOptions({ workspaceId, flowId }));
  const webhookOn = webhook.data?.webhook?.enabled === true;
  const active = schedules.data?.filter((s) => s.enabled).length ?? 0;
  const open = (event: React.MouseEvent) => {
    event.stopPropagation();
    openTriggers();
  };
  return (
    <div className="mt-1.5 flex flex-wrap gap-1" data-testid="trigger-badges">
      {webhookOn ? (
        <button type="button" className={`${badge} border-success/40 bg-success/10 text-foreground`} onClick={open} data-testid="badge-webhook">
          <Webhook className="size-3" aria-hidden />
          Webhook on
        </button>
      ) : null}
      {active > 0 ? (
        <button type="button" className={`${badge} border-success/40 bg-success/10 text-foreground`} onClick={open} data-testid="badge-schedules">
          <CalendarClock className="size-3" aria-hidden />
          {active} schedule{active === 1 ? "" : "s"}
        </button>
      ) : null}
      {!webhookOn && active === 0 ? (
        <button type="button" className={`${badge} border-dashed border-border text-muted-foreground`} onClick={open} data-testid="badge-add-trigger">
          Add trigger
        </button>
      ) : null}
    </div>
  );
}
