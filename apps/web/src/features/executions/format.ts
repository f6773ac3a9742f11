/** Display helpers for executions: durations, tokens and cost (statuses and their predicates: `@weft/flow`). */

import { isActive, isTerminal } from "@weft/flow";

export const triggerTypes = ["manual", "webhook", "schedule", "api"] as const;
export type TriggerType = (typeof triggerTypes)[number];

/**
 * The run's status to show: what its events say, unless the stream ended on a terminal event and the
 * stored run has moved on since (an action resumed it): then the stored status.
 */
export function displayStatus(streamStatus: string | null, storedStatus: string, streamDone: boolean): string {
  return streamStatus && isTerminal(streamStatus) && isActive(storedStatus) && streamDone ? storedStatus : (streamStatus ?? storedStatus);
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms == null) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${seconds} s`;
}

/** A USD cost; null means the price is unknown (a model without a price), never $0. */
export function formatCost(usd: number | null | undefined): string {
  if (usd == null) return "unknown";
  if (usd === 0) return "$0";
  if (usd < 0.01) return `$${usd.toPrecision(2)}`;
  return `$${usd.toFixed(2)}`;
}

export const formatTokens = (tokens: number | null | undefined) => (tokens == null ? "—" : new Intl.NumberFormat("en").format(tokens));

const labels: Record<string, string> = { manual: "Manual", webhook: "Webhook", schedule: "Schedule", api: "API" };
/** A trigger type as people write it ("API", not "Api"). */
export const triggerLabel = (trigger: string) => labels[trigger] ?? trigger.charAt(0).toUpperCase() + trigger.slice(1);

/** A run's active and paused time, as the API reports it (see RunTiming in packages/api). */
export type RunTiming = { activeMs: number; pausedMs: number; runningSince: Date | string | null; pausedSince: Date | string | null };

/**
 * The run's active time: the intervals it ran, plus the current one (now minus `runningSince`) while
 * it runs. Time paused waiting for a person is left out; `waitedMs` is that time, the current pause
 * included. Every page shows these (header, live bar, list, board), so they agree.
 */
export function activeTime(timing: RunTiming, now: number | null): { activeMs: number; waitedMs: number; ticking: boolean } {
  const since = (value: Date | string | null) => (value == null || now == null ? 0 : Math.max(0, now - new Date(value).getTime()));
  return { activeMs: timing.activeMs + since(timing.runningSince), waitedMs: timing.pausedMs + since(timing.pausedSince), ticking: timing.runningSince != null };
}
