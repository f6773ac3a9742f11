/** The answer of a decision a pattern's `expect` is compared with: the route, else the AI object or text. */
export function decisionAnswer(d: { kind: string; route: string | null; output: unknown }): unknown {
  if (d.kind === "router") return d.route;
  const output = d.output as { object?: unknown; text?: unknown } | null;
  if (output && typeof output === "object") return output.object !== undefined ? output.object : output.text;
  return output;
}

/** Deep equality of JSON values (object key order does not matter). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}
