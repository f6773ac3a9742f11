/** Figures printed as `name: value unit` (the bench convention), and the verdict of the checks. */
import type { CheckResult } from "./checks";

export const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};

export function printFigure(name: string, value: number, unit: string): void {
  const shown = Number.isInteger(value) ? String(value) : Number.isNaN(value) ? "n/a" : value.toFixed(1);
  console.log(`${name}: ${shown} ${unit}`);
}

const SHOWN_MISSES = 20;

/** Prints every check's verdict and up to 20 of its misses; returns the number of misses. */
export function printChecks(results: CheckResult[]): number {
  let misses = 0;
  for (const result of results) {
    misses += result.misses.length;
    const counts = Object.entries(result.counts)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    console.log(`${result.misses.length === 0 ? "PASS" : "FAIL"} ${result.name} (${counts})${result.misses.length ? `: ${result.misses.length} misses` : ""}`);
    for (const miss of result.misses.slice(0, SHOWN_MISSES)) console.log(`  - ${miss}`);
    if (result.misses.length > SHOWN_MISSES) console.log(`  ... and ${result.misses.length - SHOWN_MISSES} more`);
  }
  return misses;
}
