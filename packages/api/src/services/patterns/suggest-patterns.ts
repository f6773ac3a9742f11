import { and, decisions, desc, eq, isNotNull, patterns, sql } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { sameJson } from "./decision-answer";
import { SuggestPatternsInput } from "./schemas";

/** How many recent incorrect decisions are grouped. */
const MAX_DECISIONS = 5_000;
/** Top-level string values up to this length count as part of the fingerprint (enums, codes, flags). */
const MAX_VALUE_CHARS = 40;

export type PatternSuggestion = {
  /** Stable id of the group: flow, node, category and input fingerprint. */
  key: string;
  name: string;
  description: string;
  flowId: string | null;
  flowName: string | null;
  nodeId: string;
  category: string;
  /** The input values the decisions share, as a `when` expression over `input`. */
  when: string;
  /** The most common corrected output of the group, when feedback gave one. */
  expect: unknown;
  count: number;
  sampleDecisionIds: string[];
};

type Row = { id: string; flowId: string | null; flowName: string | null; nodeId: string; input: unknown; categories: string[]; corrected: unknown };

/**
 * Groups incorrect decisions (runs only, the newest 5,000) that share a category and an input
 * fingerprint — the input's top-level booleans, nulls and short strings, and the types of its other
 * fields — into proposed patterns, largest first. Groups an existing pattern already states are left out.
 */
export async function suggestPatterns(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<PatternSuggestion[]> {
  const { flowId, minCount } = parseInput(SuggestPatternsInput, input ?? {});
  const d = decisions;
  const rows: Row[] = await deps.db
    .select({
      id: d.id,
      flowId: d.flowId,
      flowName: sql<string | null>`(select name from flows f where f.id = ${d.flowId} and f.workspace_id = ${actor.workspaceId}::uuid)`,
      nodeId: d.nodeId,
      input: d.input,
      categories: d.feedbackCategories,
      corrected: d.correctedOutput,
    })
    .from(d)
    .where(and(eq(d.workspaceId, actor.workspaceId), eq(d.isTest, false), eq(d.feedback, "incorrect"), isNotNull(d.flowId), flowId ? eq(d.flowId, flowId) : undefined))
    .orderBy(desc(d.createdAt), desc(d.id))
    .limit(MAX_DECISIONS);
  const existing = await deps.db
    .select({ nodeId: patterns.nodeId, when: patterns.when })
    .from(patterns)
    .where(eq(patterns.workspaceId, actor.workspaceId));
  const stated = new Set(existing.map((p) => `${p.nodeId ?? ""}|${p.when}`));

  const groups = new Map<string, { rows: Row[]; category: string; shared: Array<[string, unknown]> }>();
  for (const row of rows) {
    const { fingerprint, shared } = fingerprintOf(row.input);
    const categories = row.categories.length > 0 ? row.categories : ["(no category)"];
    for (const category of categories) {
      const key = `${row.flowId}|${row.nodeId}|${category}|${fingerprint}`;
      const group = groups.get(key) ?? { rows: [], category, shared };
      group.rows.push(row);
      groups.set(key, group);
    }
  }
  const suggestions: PatternSuggestion[] = [];
  for (const [key, group] of groups) {
    if (group.rows.length < minCount) continue;
    const first = group.rows[0]!;
    const when = group.shared.length > 0 ? group.shared.map(([k, v]) => `input[${JSON.stringify(k)}] === ${JSON.stringify(v)}`).join(" && ") : "true";
    if (stated.has(`${first.nodeId}|${when}`)) continue;
    suggestions.push({
      key,
      name: `${group.category}: ${first.nodeId}${group.shared.length > 0 ? ` when ${group.shared.map(([k, v]) => `${k}=${String(v)}`).join(", ")}` : ""}`,
      description: `${group.rows.length} incorrect decisions of ${first.nodeId} tagged "${group.category}" share this input.`,
      flowId: first.flowId,
      flowName: first.flowName,
      nodeId: first.nodeId,
      category: group.category,
      when,
      expect: mostCommon(group.rows.slice(0, 200).map((r) => r.corrected).filter((v) => v !== null && v !== undefined)),
      count: group.rows.length,
      sampleDecisionIds: group.rows.slice(0, 5).map((r) => r.id),
    });
  }
  return suggestions.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)).slice(0, 50);
}

/** The input's fingerprint: sorted `key=value` for booleans, nulls and short strings, `key:type` for the rest. */
export function fingerprintOf(input: unknown): { fingerprint: string; shared: Array<[string, unknown]> } {
  if (!input || typeof input !== "object" || Array.isArray(input)) return { fingerprint: `:${Array.isArray(input) ? "array" : typeof input}`, shared: [] };
  const shared: Array<[string, unknown]> = [];
  const parts: string[] = [];
  for (const key of Object.keys(input).sort()) {
    const value = (input as Record<string, unknown>)[key];
    if (value === null || typeof value === "boolean" || (typeof value === "string" && value.length <= MAX_VALUE_CHARS)) {
      shared.push([key, value]);
      parts.push(`${key}=${JSON.stringify(value)}`);
    } else {
      parts.push(`${key}:${Array.isArray(value) ? "array" : typeof value}`);
    }
  }
  return { fingerprint: parts.join("&"), shared };
}

function mostCommon(values: unknown[]): unknown {
  let best: unknown = null;
  let bestCount = 0;
  for (const candidate of values) {
    const n = values.filter((v) => sameJson(v, candidate)).length;
    if (n > bestCount) {
      best = candidate;
      bestCount = n;
    }
  }
  return best;
}
