/** Display helpers for triggers. */

/** A byte count for people: 512 B, 1.5 KB, 1 MB (1 KB = 1024 bytes, as the body limit counts them). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null) return "—";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number(value.toFixed(value < 10 ? 1 : 0))} ${units[unit]}`;
}

/** Badge colour for an HTTP status: 2xx success, 4xx warning, 5xx error. */
export function statusVariant(status: number): "success" | "warning" | "destructive" | "neutral" {
  if (status >= 200 && status < 300) return "success";
  if (status >= 400 && status < 500) return "warning";
  if (status >= 500) return "destructive";
  return "neutral";
}
