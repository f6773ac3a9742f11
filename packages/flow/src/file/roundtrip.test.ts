// Property: random valid flows -> export -> import -> the same graph -> export, byte-identical.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateFlow } from "../validate";
import { exportFlow } from "./export";
import { parseFlowFile } from "./import";

const ident = fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/);
// Any text, minus template braces (templated fields must parse) and lone surrogates (not JSON-safe).
const text = fc.string({ unit: "grapheme", maxLength: 40 }).filter((s) => !s.includes("{{"));
const codeText = fc.string({ unit: "grapheme", minLength: 1, maxLength: 80 }).filter((s) => s.trim().length > 0);
const json: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const noTemplates = (v: unknown) => !JSON.stringify(v).includes("{{");
const position = fc.record({ x: fc.integer({ min: -5000, max: 5000 }), y: fc.double({ min: -5000, max: 5000, noNaN: true }).map((n) => (Object.is(n, -0) ? 0 : n)) });

const middleNode = fc.oneof(
  fc.record({ type: fc.constant("function"), config: fc.record({ code: codeText }) }),
  fc.record({ type: fc.constant("delay"), config: fc.record({ ms: fc.integer({ min: 0, max: 100_000 }) }) }),
  fc.record({
    type: fc.constant("http"),
    config: fc.record(
      {
        method: fc.constantFrom("GET", "POST", "PUT"),
        url: text.map((s) => `https://example.com/${encodeURIComponent(s)}`),
        headers: fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,10}$/), text, { maxKeys: 3 }),
        body: json.filter(noTemplates),
      },
      { requiredKeys: ["url"] },
    ),
  }),
);

const flowArb = fc
  .record({
    name: text.map((s) => s.trim()).filter((s) => s.length > 0),
    description: text,
    phases: fc.uniqueArray(fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,9}$/), { maxLength: 3 }),
    middles: fc.array(
      fc.record(
        {
          node: middleNode,
          label: text,
          phaseIndex: fc.nat(),
          retry: fc.record({ maxAttempts: fc.integer({ min: 1, max: 5 }), backoff: fc.constant("exponential" as const), initialDelayMs: fc.integer({ min: 0, max: 1000 }), maxDelayMs: fc.integer({ min: 1000, max: 60_000 }) }),
          timeoutMs: fc.integer({ min: 1, max: 600_000 }),
          onFailure: fc.constantFrom("stop", "continue"),
          position,
        },
        { requiredKeys: ["node", "position"] },
      ),
      { minLength: 1, maxLength: 6 },
    ),
    extraEdges: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
    sinkValue: fc.option(json.filter(noTemplates), { nil: undefined }),
    inputSchema: fc.option(fc.constant({ type: "object", properties: { n: { type: "number" } }, required: ["n"] }), { nil: undefined }),
    ids: fc.uniqueArray(ident, { minLength: 9, maxLength: 9 }),
  })
  .map((f) => {
    const ids = f.ids;
    const nodes = [
      { id: ids[0]!, type: "source", position: { x: 0, y: 0 }, data: { config: f.inputSchema ? { inputSchema: f.inputSchema } : {} } },
      ...f.middles.map((m, i) => ({
        id: ids[i + 1]!,
        type: m.node.type,
        position: m.position,
        data: {
          config: m.node.config,
          ...(m.label ? { label: m.label } : {}),
          ...(f.phases.length > 0 && (m.phaseIndex ?? 1) % 2 === 0 ? { phase: f.phases[(m.phaseIndex ?? 0) % f.phases.length] } : {}),
          ...(m.retry ? { retry: m.retry } : {}),
          ...(m.timeoutMs ? { timeoutMs: m.timeoutMs } : {}),
          ...(m.onFailure ? { onFailure: m.onFailure } : {}),
        },
      })),
      { id: ids[8]!, type: "sink", position: { x: 9, y: 9 }, data: { config: f.sinkValue === undefined ? {} : { value: f.sinkValue } } },
    ];
    // A chain through every node, plus forward edges (a DAG), no duplicates.
    const pairs = new Set<string>();
    const edges: { id: string; source: string; target: string }[] = [];
    const add = (a: number, b: number, id?: string) => {
      const key = `${a}>${b}`;
      if (pairs.has(key)) return;
      pairs.add(key);
      edges.push({ id: id ?? `${nodes[a]!.id}->${nodes[b]!.id}`, source: nodes[a]!.id, target: nodes[b]!.id });
    };
    for (let i = 0; i + 1 < nodes.length; i++) add(i, i + 1, i === 0 ? "xy-edge__custom-id" : undefined);
    for (const [a, b] of f.extraEdges) {
      const from = 1 + (a % f.middles.length);
      const to = from + 1 + (b % (nodes.length - from - 1));
      if (to < nodes.length && to > from) add(from, to);
    }
    return { name: f.name, description: f.description, nodes, edges };
  });

describe("weft/v1 round trip", () => {
  for (const format of ["yaml", "json"] as const) {
    it(`${format}: export -> import gives the same graph, and export again is byte-identical`, () => {
      fc.assert(
        fc.property(flowArb, (flow) => {
          expect(validateFlow(flow).ok).toBe(true);
          const first = exportFlow(flow, format);
          const imported = parseFlowFile(first, { format });
          if (!imported.ok) throw new Error(`import failed: ${JSON.stringify(imported.problems)}\n${first}`);
          expect(imported.flow.nodes).toEqual(flow.nodes);
          expect(imported.flow.edges).toEqual(flow.edges);
          expect(imported.flow.name).toBe(flow.name);
          expect(imported.flow.description).toBe(flow.description);
          expect(exportFlow(imported.flow, format)).toBe(first);
        }),
        { numRuns: 100 },
      );
    });
  }
});
