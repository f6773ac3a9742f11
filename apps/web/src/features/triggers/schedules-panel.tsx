"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CalendarClock, Pencil, Trash2 } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Switch } from "@/components/ui/switch";
import { useTRPC } from "@/trpc/client";
import { catchupLabels, overlapLabels, ScheduleForm, type Schedule } from "./schedule-form";
import { ScheduleSlots } from "./schedule-slots";
import { formatInZone } from "./time-zones";

/** The list refreshes this often while the panel is open (next run and history move on their own). */
const REFRESH_MS = 10_000;

/** A flow's schedules: list, create, edit, enable/disable, delete, history. Viewers read only. */
export function SchedulesPanel({ workspaceId, flowId, canEdit }: { workspaceId: string; flowId: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.schedules.list.queryOptions({ workspaceId, flowId }, { refetchInterval: REFRESH_MS }));
  const [creating, setCreating] = useState(false);

  if (list.isPending) return <p className="text-sm text-muted-foreground">Loading…</p>;
  if (list.isError) return <Alert variant="error">{list.error.message}</Alert>;

  return (
    <div className="flex flex-col gap-3" data-testid="schedules-panel">
      <p className="text-xs text-muted-foreground">Runs this flow at the times of a cron expression, in a time zone.</p>
      {list.data.length === 0 ? (
        <p className="text-sm text-muted-foreground" data-testid="schedules-empty">
          {canEdit ? "No schedules yet." : "No schedules yet. A member of the workspace can add one."}
        </p>
      ) : (
        <ul className="flex flex-col gap-2" aria-label="Schedules">
          {list.data.map((schedule) => (
            <ScheduleItem key={schedule.id} workspaceId={workspaceId} flowId={flowId} schedule={schedule} canEdit={canEdit} />
          ))}
        </ul>
      )}
      {canEdit ? (
        creating ? (
          <ScheduleForm workspaceId={workspaceId} flowId={flowId} onDone={() => setCreating(false)} />
        ) : (
          <Button type="button" size="sm" variant="outline" className="self-start" onClick={() => setCreating(true)}>
            <CalendarClock aria-hidden />
            New schedule
          </Button>
        )
      ) : null}
    </div>
  );
}

function ScheduleItem({ workspaceId, flowId, schedule, canEdit }: { workspaceId: string; flowId: string; schedule: Schedule; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [history, setHistory] = useState(false);
  const listKey = trpc.schedules.list.queryKey({ workspaceId, flowId });
  const toggle = useMutation(
    trpc.schedules.update.mutationOptions({
      onSuccess: (updated) => queryClient.setQueryData(listKey, (old) => old?.map((s) => (s.id === updated.id ? updated : s))),
    }),
  );
  const remove = useMutation(
    trpc.schedules.delete.mutationOptions({
      onSuccess: async () => {
        setDeleting(false);
        await queryClient.invalidateQueries({ queryKey: listKey });
      },
    }),
  );
  const historyId = `schedule-${schedule.id}-history`;

  if (editing) {
    return (
      <li>
        <ScheduleForm workspaceId={workspaceId} flowId={flowId} schedule={schedule} onDone={() => setEditing(false)} />
      </li>
    );
  }
  return (
    <li className="flex flex-col gap-1.5 rounded-md border border-border p-2.5" data-testid="schedule" data-schedule-id={schedule.id}>
      <div className="flex items-center justify-between gap-2">
        <code className="font-mono text-sm break-all" data-testid="schedule-cron">
          {schedule.cron}
        </code>
        {canEdit ? (
          <Switch
            aria-label={`Schedule ${schedule.cron} enabled`}
            checked={schedule.enabled}
            disabled={toggle.isPending}
            onCheckedChange={(enabled) => toggle.mutate({ workspaceId, flowId, scheduleId: schedule.id, enabled })}
          />
        ) : (
          <Badge variant={schedule.enabled ? "success" : "outline"}>{schedule.enabled ? "Enabled" : "Disabled"}</Badge>
        )}
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-2 gap-y-0.5 text-xs">
        <dt className="text-muted-foreground">Time zone</dt>
        <dd data-testid="schedule-timezone">{schedule.timezone}</dd>
        <dt className="text-muted-foreground">Next run</dt>
        <dd data-testid="schedule-next-run">
          {schedule.enabled && schedule.nextRunAt ? (
            <time dateTime={schedule.nextRunAt.toISOString()}>{formatInZone(schedule.nextRunAt, schedule.timezone)}</time>
          ) : (
            "None (disabled)"
          )}
        </dd>
        <dt className="text-muted-foreground">Overlap</dt>
        <dd>{overlapLabels[schedule.overlapPolicy]}</dd>
        <dt className="text-muted-foreground">Catch-up</dt>
        <dd>
          {catchupLabels[schedule.catchupPolicy]}
          {schedule.catchupPolicy === "all" ? ` (${schedule.catchupWindowMs / 60_000} min, at most ${schedule.catchupMax})` : ""}
        </dd>
        {schedule.input != null ? (
          <>
            <dt className="text-muted-foreground">Input</dt>
            <dd className="truncate font-mono" title={JSON.stringify(schedule.input)}>
              {JSON.stringify(schedule.input)}
            </dd>
          </>
        ) : null}
      </dl>
      {toggle.error ? <Alert variant="error">{toggle.error.message}</Alert> : null}
      <div className="flex flex-wrap gap-1">
        <Button type="button" size="sm" variant="ghost" aria-expanded={history} aria-controls={historyId} onClick={() => setHistory((open) => !open)}>
          History
        </Button>
        {canEdit ? (
          <>
            <Button type="button" size="sm" variant="ghost" onClick={() => setEditing(true)}>
              <Pencil aria-hidden />
              Edit<span className="sr-only"> schedule {schedule.cron}</span>
            </Button>
            <Button
              type="button"
              size="sm"
              variant="ghost"
              className="text-destructive"
              onClick={() => {
                remove.reset();
                setDeleting(true);
              }}
            >
              <Trash2 aria-hidden />
              Delete<span className="sr-only"> schedule {schedule.cron}</span>
            </Button>
          </>
        ) : null}
      </div>
      <div id={historyId} hidden={!history}>
        {history ? <ScheduleSlots workspaceId={workspaceId} flowId={flowId} scheduleId={schedule.id} timezone={schedule.timezone} /> : null}
      </div>
      <ConfirmDialog
        open={deleting}
        onClose={() => setDeleting(false)}
        title={`Delete schedule ${schedule.cron}?`}
        description="It stops at once and its history is deleted. Runs it already started keep going; a run it queued is cancelled."
        confirmLabel="Delete schedule"
        pending={remove.isPending}
        error={remove.error?.message}
        onConfirm={() => remove.mutate({ workspaceId, flowId, scheduleId: schedule.id })}
      />
    </li>
  );
}
