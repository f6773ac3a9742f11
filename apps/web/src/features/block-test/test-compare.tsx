import { useMemo } from "react";
import { cn } from "@/components/ui/cn";
import { formatCost, formatDuration, formatTokens } from "@/features/executions/format";
import { diffLines, metricDeltas, outputText, type MetricDelta } from "./compare";
import { formatRate } from "./metrics-row";
import type { BlockTest } from "./test-history";

function formatMetric(key: MetricDelta["key"], value: number | null): string {
  if (key === "costUsd") return formatCost(value);
  if (key === "durationMs" || key === "ttftMs") return formatDuration(value);
  if (key === "tokensPerSecond") return formatRate(value);
  return formatTokens(value);
}

function formatDelta(d: MetricDelta): string {
  if (d.delta === null) return "—";
  const sign = d.delta > 0 ? "+" : d.delta < 0 ? "−" : "±";
  return `${sign}${formatMetric(d.key, Math.abs(d.delta))}`;
}

/** Two tests side by side (older `a` on the left): a line diff of their outputs and each metric's change. */
export function TestCompare({ a, b }: { a: BlockTest; b: BlockTest }) {
  const lines = useMemo(() => diffLines(outputText(a.output ?? a.error?.message), outputText(b.output ?? b.error?.message)), [a, b]);
  const deltas = metricDeltas(a, b);
  return (
    <section aria-label="Compare tests" className="flex flex-col gap-2 rounded-md border border-border p-2" data-testid="test-compare">
      <h4 className="text-xs font-medium">
        Test {a.id.slice(0, 8)} → {b.id.slice(0, 8)}
      </h4>
      <table className="w-full text-xs" data-testid="compare-metrics">
        <thead>
          <tr className="text-muted-foreground">
            <th className="text-left font-normal">Metric</th>
            <th className="text-right font-normal">{a.id.slice(0, 8)}</th>
            <th className="text-right font-normal">{b.id.slice(0, 8)}</th>
            <th className="text-right font-normal">Change</th>
          </tr>
        </thead>
        <tbody>
          {deltas.map((d) => (
            <tr key={d.key} data-testid={`delta-${d.key}`}>
              <td>{d.label}</td>
              <td className="text-right font-mono">{formatMetric(d.key, d.a)}</td>
              <td className="text-right font-mono">{formatMetric(d.key, d.b)}</td>
              <td className={cn("text-right font-mono", d.better === true && "text-success", d.better === false && "text-destructive")}>{formatDelta(d)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <pre className="max-h-64 overflow-auto rounded-md bg-muted p-2 text-xs" data-testid="compare-diff" aria-label="Output diff">
        {lines.map((line, i) => (
          <div key={i} className={cn(line.kind === "removed" && "bg-destructive/10 text-destructive", line.kind === "added" && "bg-success/10 text-success")} data-kind={line.kind}>
            {line.kind === "removed" ? "- " : line.kind === "added" ? "+ " : "  "}
            {line.text}
          </div>
        ))}
      </pre>
    </section>
  );
}
