// Secret workspace variables never reach the event log, block rows or the execution's output/error:
// every string written through the runner's commit has each secret value replaced by `***`.
// (Masked values stay masked: a resumed run reads the masked output of a completed node.)

export const MASK = "***";

/** Workspace variables of a run: `{{ env.NAME }}` values, and which values are secret. */
export type RunVariables = { env: Record<string, string>; secrets: readonly string[] };

export type Masker = <T>(value: T) => T;

const identity: Masker = (value) => value;

/** A deep copy of plain objects, arrays and strings with every secret value replaced (other objects, like Dates, kept). */
export function createMasker(secrets: readonly string[]): Masker {
  const values = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  if (values.length === 0) return identity;
  const maskString = (s: string) => {
    let out = s;
    for (const secret of values) if (out.includes(secret)) out = out.split(secret).join(MASK);
    return out;
  };
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return maskString(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === "object") {
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return value;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = walk(item);
      return out;
    }
    return value;
  };
  return (value) => walk(value) as typeof value;
}

/** A store commit with its events, block rows and execution fields masked (only the keys it has). */
export function maskCommit<T extends { events?: unknown; blocks?: unknown; set?: unknown }>(request: T, mask: Masker): T {
  const out = { ...request };
  if (out.events !== undefined) out.events = mask(out.events);
  if (out.blocks !== undefined) out.blocks = mask(out.blocks);
  if (out.set !== undefined) out.set = mask(out.set);
  return out;
}
