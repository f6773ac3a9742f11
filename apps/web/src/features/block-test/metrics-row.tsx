import { formatCost, formatDuration, formatTokens } from "@/features/executions/format";
import type { TestMetrics } from "./compare";

export const formatRate = (perSecond: number | null | undefined) => (perSecond == null ? "—" : `${perSecond.toFixed(1)} tok/s`);

/** TTFT, tokens/s, tokens in/out, cost and duration of one test. */
export function MetricsRow({ metrics }: { metrics: TestMetrics }) {
  const items: Array<[string, string, string]> = [
    ["TTFT", formatDuration(metrics.ttftMs), "ttft"],
    ["Tokens/s", formatRate(metrics.tokensPerSecond), "tps"],
    ["Tokens", metrics.tokensIn == null && metrics.tokensOut == null ? "—" : `${formatTokens(metrics.tokensIn)} in · ${formatTokens(metrics.tokensOut)} out`, "tokens"],
    ["Cost", formatCost(metrics.costUsd), "cost"],
    ["Duration", formatDuration(metrics.durationMs), "duration"],
  ];
  return (
    <dl className="grid grid-cols-3 gap-x-3 gap-y-1 text-xs" data-testid="test-metrics">
      {items.map(([label, value, id]) => (
        <div key={id} className="flex flex-col" data-testid={`metric-${id}`}>
          <dt className="text-muted-foreground">{label}</dt>
          <dd className="font-mono tabular-nums">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
