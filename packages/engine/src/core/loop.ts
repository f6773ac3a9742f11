// Loop iteration and limits. Pure: the runner renders `over`, evaluates `while` in the sandbox, runs
// each iteration's scope, and asks here what comes next.

export type LoopConfig = { over?: string; while?: string; maxIterations?: number };
export type LoopError = { code: "LOOP_NOT_ARRAY" | "LOOP_LIMIT"; message: string };

export const DEFAULT_MAX_ITERATIONS = 100;

/** What an `over` template rendered to: the items, or why they are not usable. */
export function loopItems(nodeId: string, rendered: unknown): { ok: true; items: unknown[] } | { ok: false; error: LoopError } {
  if (Array.isArray(rendered)) return { ok: true, items: rendered };
  const kind = rendered === null ? "null" : typeof rendered;
  return { ok: false, error: { code: "LOOP_NOT_ARRAY", message: `Loop ${nodeId}: "over" must give an array, got ${kind}` } };
}

export type LoopNext = { type: "done" } | { type: "limit"; error: LoopError } | { type: "iterate"; path: string };

/**
 * Before iteration `index`: `more` says whether there is one (an item left in `over`, or `while`
 * evaluated truthy). Iterations past `maxIterations` fail the loop. `parent` is the loop's own
 * iteration path ("" at the top level): nested paths read "2.0".
 */
export function loopNext(input: { nodeId: string; config: LoopConfig; index: number; more: boolean; parent: string }): LoopNext {
  if (!input.more) return { type: "done" };
  const max = input.config.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  if (input.index >= max) return { type: "limit", error: { code: "LOOP_LIMIT", message: `Loop ${input.nodeId} reached its maxIterations limit of ${max}` } };
  return { type: "iterate", path: input.parent ? `${input.parent}.${input.index}` : String(input.index) };
}

/** The scope `while` is evaluated on: the first iteration sees the loop's input, later ones the previous output. */
export function whileScope(input: unknown, index: number, outputs: readonly unknown[]) {
  return { input, iteration: index, item: index === 0 ? input : outputs[index - 1], outputs };
}
