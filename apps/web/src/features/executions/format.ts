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

export const triggerLabel = (trigger: string) => trigger.charAt(0).toUpperCase() + trigger.slice(1);

/** The elapsed time of a run still going (now - startedAt), else its recorded duration. */
export function durationOf(run: { durationMs: number | null; startedAt: Date | string | null; finishedAt: Date | string | null }, now: number) {
  if (run.durationMs != null) return run.durationMs;
  if (!run.startedAt) return null;
  const start = new Date(run.startedAt).getTime();
  const end = run.finishedAt ? new Date(run.finishedAt).getTime() : now;
  return Math.max(0, end - start);
}
