"use client";

import { useEffect, useMemo, useState } from "react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Field } from "@/components/ui/field";
import { controlClasses, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { fieldError, formError, fromTRPCError } from "@/features/forms/server-error";
import { useTRPC, type RouterOutputs } from "@/trpc/client";
import { describeCron } from "./describe-cron";
import { browserTimeZone, formatInZone, isTimeZone, timeZoneOptions, zoneOffset } from "./time-zones";

export type Schedule = RouterOutputs["schedules"]["list"][number];
type OverlapPolicy = Schedule["overlapPolicy"];
type CatchupPolicy = Schedule["catchupPolicy"];

/** How long the cron and time zone must stay unchanged before the preview asks the server. */
const PREVIEW_DEBOUNCE_MS = 400;
const MINUTE_MS = 60_000;

export const overlapLabels: Record<OverlapPolicy, string> = {
  skip: "Skip the slot",
  queue_one: "Queue one run",
  allow: "Run anyway (overlap)",
};
export const catchupLabels: Record<CatchupPolicy, string> = {
  none: "Drop missed slots",
  latest: "Run the newest one",
  all: "Run all within a window",
};
const presets = [
  { label: "Every 5 min", cron: "*/5 * * * *" },
  { label: "Hourly", cron: "0 * * * *" },
  { label: "Daily 09:00", cron: "0 9 * * *" },
  { label: "Weekdays 09:00", cron: "0 9 * * 1-5" },
];
const fields = ["cron", "timezone", "enabled", "overlapPolicy", "catchupPolicy", "catchupWindowMs", "catchupMax", "input"] as const;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** Creates a schedule (no `schedule`) or edits one, with a live preview of its next five runs from the server. */
export function ScheduleForm({
  workspaceId,
  flowId,
  schedule,
  onDone,
}: {
  workspaceId: string;
  flowId: string;
  schedule?: Schedule;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const idPrefix = schedule ? `schedule-${schedule.id}` : "schedule-new";
  const [cron, setCron] = useState(schedule?.cron ?? "");
  const [timezone, setTimezone] = useState(() => schedule?.timezone ?? browserTimeZone());
  const [enabled, setEnabled] = useState(schedule?.enabled ?? true);
  const [overlapPolicy, setOverlapPolicy] = useState<OverlapPolicy>(schedule?.overlapPolicy ?? "skip");
  const [catchupPolicy, setCatchupPolicy] = useState<CatchupPolicy>(schedule?.catchupPolicy ?? "none");
  const [catchupWindowMin, setCatchupWindowMin] = useState(String((schedule?.catchupWindowMs ?? 3_600_000) / MINUTE_MS));
  const [catchupMax, setCatchupMax] = useState(String(schedule?.catchupMax ?? 10));
  const [inputText, setInputText] = useState(schedule?.input == null ? "" : JSON.stringify(schedule.input, null, 2));
  const [inputProblem, setInputProblem] = useState<string | null>(null);
  const ownZone = useMemo(() => browserTimeZone(), []);
  const zones = useMemo(() => timeZoneOptions(ownZone), [ownZone]);
  const described = useMemo(() => describeCron(cron), [cron]);
  const zoneValid = useMemo(() => isTimeZone(timezone), [timezone]);

  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.schedules.list.queryKey({ workspaceId, flowId }) });
  const onSuccess = async () => {
    await invalidate();
    onDone();
  };
  const create = useMutation(trpc.schedules.create.mutationOptions({ onSuccess }));
  const update = useMutation(trpc.schedules.update.mutationOptions({ onSuccess }));
  const save = schedule ? update : create;
  const error = fromTRPCError(save.error);
  // `input` itself, or a field of it the Start block's input schema wants (`input.region: ...`).
  const inputError = error?.path === "input" || error?.path?.startsWith("input.") ? error.message : null;

  // Preview: the server's next five slots of what is typed, once typing pauses.
  const typed = useDebounced(useMemo(() => ({ cron: cron.trim(), timezone }), [cron, timezone]), PREVIEW_DEBOUNCE_MS);
  const preview = useQuery(
    trpc.schedules.preview.queryOptions(
      { workspaceId, cron: typed.cron, timezone: typed.timezone },
      { enabled: typed.cron !== "" && isTimeZone(typed.timezone), placeholderData: keepPreviousData, staleTime: 10_000 },
    ),
  );
  const previewError = fromTRPCError(preview.error);
  const settling = typed.cron !== cron.trim() || typed.timezone !== timezone || preview.isFetching;

  const submit = () => {
    let input: Record<string, unknown> | null = null;
    if (inputText.trim() !== "") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(inputText);
      } catch {
        setInputProblem("Not valid JSON");
        return;
      }
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        setInputProblem("A JSON object, e.g. {\"report\": \"daily\"}");
        return;
      }
      input = parsed as Record<string, unknown>;
    }
    setInputProblem(null);
    const settings = {
      cron: cron.trim(),
      timezone,
      overlapPolicy,
      catchupPolicy,
      catchupWindowMs: Math.round(Number(catchupWindowMin) * MINUTE_MS),
      catchupMax: Number(catchupMax),
      input,
    };
    if (schedule) update.mutate({ workspaceId, flowId, scheduleId: schedule.id, ...settings });
    else create.mutate({ workspaceId, flowId, enabled, ...settings });
  };

  return (
    <form
      noValidate
      aria-label={schedule ? `Edit schedule ${schedule.cron}` : "New schedule"}
      className="flex flex-col gap-3 rounded-md border border-border p-2.5"
      data-testid="schedule-form"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {formError(error, fields) && !inputError ? <Alert variant="error">{formError(error, fields)}</Alert> : null}
      <Field
        id={`${idPrefix}-cron`}
        label="Cron expression"
        hint={
          described ? (
            <span className="text-foreground" data-testid="cron-description">
              {described}
            </span>
          ) : (
            "minute hour day month weekday, e.g. */15 * * * * or @daily"
          )
        }
        error={fieldError(error, "cron") ?? (preview.isError ? fieldError(previewError, "cron") : null)}
      >
        {(control) => (
          <Input {...control} value={cron} onChange={(e) => setCron(e.target.value)} className="font-mono" autoComplete="off" spellCheck={false} />
        )}
      </Field>
      <div className="flex flex-wrap gap-1" role="group" aria-label="Common schedules">
        {presets.map((preset) => (
          <Button key={preset.cron} type="button" size="sm" variant="secondary" className="h-7 px-2 text-xs" onClick={() => setCron(preset.cron)}>
            {preset.label}
          </Button>
        ))}
      </div>
      <Field
        id={`${idPrefix}-timezone`}
        label="Time zone"
        hint={zoneValid ? `${timezone === ownZone ? "Your time zone, " : ""}${zoneOffset(timezone)}. Type to search, e.g. "Tokyo".` : 'Type to search, e.g. "Tokyo", and pick a zone from the list.'}
        error={fieldError(error, "timezone") ?? (zoneValid || timezone.trim() === "" ? null : "Pick a time zone from the list (an IANA name such as Europe/Berlin)")}
      >
        {(control) => (
          <>
            <Input
              {...control}
              list={`${idPrefix}-zones`}
              value={timezone}
              autoComplete="off"
              spellCheck={false}
              onFocus={(e) => e.currentTarget.select()}
              onChange={(e) => setTimezone(e.target.value)}
            />
            <datalist id={`${idPrefix}-zones`}>
              {zones.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </>
        )}
      </Field>

      <section aria-labelledby={`${idPrefix}-preview-title`} aria-busy={settling || undefined} className="flex flex-col gap-1">
        <h5 id={`${idPrefix}-preview-title`} className="text-xs font-medium text-muted-foreground">
          Next five runs
        </h5>
        {typed.cron === "" ? (
          <p className="text-xs text-muted-foreground">Enter an expression to see when it runs.</p>
        ) : preview.isError ? (
          <p className="text-xs text-muted-foreground">No preview while the expression is invalid.</p>
        ) : preview.data ? (
          preview.data.runs.length === 0 ? (
            <p className="text-xs text-destructive">This expression never matches a date.</p>
          ) : (
            <ol className={cn("flex flex-col gap-0.5 text-xs tabular-nums", settling && "opacity-60")} data-testid="schedule-preview">
              {preview.data.runs.map((run) => (
                <li key={run.toISOString()}>
                  <time dateTime={run.toISOString()} title={run.toLocaleString()}>
                    {formatInZone(run, typed.timezone)}
                  </time>
                </li>
              ))}
            </ol>
          )
        ) : (
          <p className="text-xs text-muted-foreground">Loading…</p>
        )}
      </section>

      {schedule ? null : (
        <div className="flex items-center justify-between gap-2">
          <span id={`${idPrefix}-enabled-label`} className="text-sm font-medium">
            Enabled
          </span>
          <Switch aria-labelledby={`${idPrefix}-enabled-label`} checked={enabled} onCheckedChange={setEnabled} />
        </div>
      )}
      <Field id={`${idPrefix}-overlap`} label="If the previous run is still going" error={fieldError(error, "overlapPolicy")}>
        {(control) => (
          <Select {...control} value={overlapPolicy} onChange={(e) => setOverlapPolicy(e.target.value as OverlapPolicy)}>
            {(Object.keys(overlapLabels) as OverlapPolicy[]).map((policy) => (
              <option key={policy} value={policy}>
                {overlapLabels[policy]}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field id={`${idPrefix}-catchup`} label="Missed slots (after downtime)" error={fieldError(error, "catchupPolicy")}>
        {(control) => (
          <Select {...control} value={catchupPolicy} onChange={(e) => setCatchupPolicy(e.target.value as CatchupPolicy)}>
            {(Object.keys(catchupLabels) as CatchupPolicy[]).map((policy) => (
              <option key={policy} value={policy}>
                {catchupLabels[policy]}
              </option>
            ))}
          </Select>
        )}
      </Field>
      {catchupPolicy === "all" ? (
        <div className="grid grid-cols-2 gap-2">
          <Field id={`${idPrefix}-catchup-window`} label="Window (min)" hint="Up to 7 days" error={fieldError(error, "catchupWindowMs")}>
            {(control) => (
              <Input {...control} type="number" inputMode="numeric" min={0} max={10_080} value={catchupWindowMin} onChange={(e) => setCatchupWindowMin(e.target.value)} />
            )}
          </Field>
          <Field id={`${idPrefix}-catchup-max`} label="At most (runs)" error={fieldError(error, "catchupMax")}>
            {(control) => (
              <Input {...control} type="number" inputMode="numeric" min={1} max={100} value={catchupMax} onChange={(e) => setCatchupMax(e.target.value)} />
            )}
          </Field>
        </div>
      ) : null}
      <Field
        id={`${idPrefix}-input`}
        label="Run input (JSON object, optional)"
        hint="Checked against the Start block's input schema when saved. Each run gets it, plus trigger.slot and trigger.scheduleId."
        error={inputProblem ?? inputError}
      >
        {(control) => (
          <textarea
            {...control}
            rows={3}
            spellCheck={false}
            value={inputText}
            onChange={(e) => setInputText(e.target.value)}
            className={cn(controlClasses, "h-auto py-2 font-mono text-xs")}
          />
        )}
      </Field>
      <div className="flex gap-2">
        <Button type="submit" size="sm" pending={save.isPending}>
          {schedule ? "Save schedule" : "Create schedule"}
        </Button>
        <Button type="button" size="sm" variant="outline" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
