// Comparing two block tests: a line diff of their outputs and the change of each metric.

export type DiffLine = { kind: "same" | "removed" | "added"; text: string };

/** The output as the panel shows it: text as is, anything else as indented JSON. */
export function outputText(output: unknown): string {
  if (output === undefined || output === null) return "";
  if (typeof output === "string") return output;
  const text = (output as { text?: unknown }).text;
  // An AI block's answer is its text; the rest (model, usage) would only add noise to a diff.
  if (typeof text === "string" && typeof output === "object" && "model" in output) return text;
  return JSON.stringify(output, null, 2);
}

/**
 * A line diff of `a` -> `b` (longest common subsequence): lines only in `a` are `removed`, only in `b`
 * `added`. Inputs beyond 2,000 lines each are compared as one changed block (the table is quadratic).
 */
export function diffLines(a: string, b: string): DiffLine[] {
  const left = a === "" ? [] : a.split("\n");
  const right = b === "" ? [] : b.split("\n");
  if (left.length > 2000 || right.length > 2000) {
    return [...left.map((text) => ({ kind: "removed" as const, text })), ...right.map((text) => ({ kind: "added" as const, text }))];
  }
  const n = left.length;
  const m = right.length;
  // lcs[i][j]: length of the LCS of left[i..] and right[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = left[i] === right[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (left[i] === right[j]) {
      out.push({ kind: "same", text: left[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
      out.push({ kind: "removed", text: left[i++]! });
    } else {
      out.push({ kind: "added", text: right[j++]! });
    }
  }
  while (i < n) out.push({ kind: "removed", text: left[i++]! });
  while (j < m) out.push({ kind: "added", text: right[j++]! });
  return out;
}

export type TestMetrics = {
  durationMs: number | null;
  ttftMs: number | null;
  tokensPerSecond: number | null;
  tokensIn: number | null;
  tokensOut: number | null;
  costUsd: number | null;
};

export const METRICS: ReadonlyArray<{ key: keyof TestMetrics; label: string; lowerIsBetter: boolean }> = [
  { key: "ttftMs", label: "TTFT", lowerIsBetter: true },
  { key: "tokensPerSecond", label: "Tokens/s", lowerIsBetter: false },
  { key: "tokensIn", label: "Tokens in", lowerIsBetter: true },
  { key: "tokensOut", label: "Tokens out", lowerIsBetter: true },
  { key: "costUsd", label: "Cost", lowerIsBetter: true },
  { key: "durationMs", label: "Duration", lowerIsBetter: true },
];

export type MetricDelta = { key: keyof TestMetrics; label: string; a: number | null; b: number | null; delta: number | null; better: boolean | null };

/** b - a for every metric; null when either side is unknown; `better` by the metric's direction. */
export function metricDeltas(a: TestMetrics, b: TestMetrics): MetricDelta[] {
  return METRICS.map(({ key, label, lowerIsBetter }) => {
    const [x, y] = [a[key], b[key]];
    const delta = x == null || y == null ? null : y - x;
    const better = delta === null || delta === 0 ? null : lowerIsBetter ? delta < 0 : delta > 0;
    return { key, label, a: x, b: y, delta, better };
  });
}
