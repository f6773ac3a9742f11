/**
 * Content types artifacts may have by default: text, JSON, common images, PDFs, archives and raw
 * bytes. HTML and SVG are left out (they script when opened); downloads are attachments with
 * `nosniff` anyway. Override with `WEFT_ARTIFACT_CONTENT_TYPES` (comma-separated, `type/*` allowed).
 */
export const DEFAULT_ARTIFACT_CONTENT_TYPES = [
  "text/plain",
  "text/markdown",
  "text/csv",
  "application/json",
  "application/x-ndjson",
  "application/pdf",
  "application/zip",
  "application/gzip",
  "application/octet-stream",
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
] as const;

/** `type/subtype` of a Content-Type header, lowercased, parameters dropped; null when malformed. */
export function baseContentType(header: string | null | undefined): string | null {
  const base = header?.split(";")[0]?.trim().toLowerCase();
  return base && /^[a-z0-9][\w.+-]*\/[a-z0-9][\w.+-]*$/.test(base) ? base : null;
}

export function contentTypeAllowed(type: string, allowed: readonly string[]): boolean {
  return allowed.some((a) => a === type || (a.endsWith("/*") && type.startsWith(a.slice(0, -1))));
}
