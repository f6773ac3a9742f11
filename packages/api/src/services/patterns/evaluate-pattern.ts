import { and, decisions, desc, eq, gte, lt } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { decisionAnswer, sameJson } from "./decision-answer";
import { evaluateWhen } from "./evaluate-when";
import { findPattern } from "./get-pattern";
import { EvaluatePatternInput } from "./schemas";

/** Most decisions one evaluation replays (the newest ones in the range). */
const MAX_DECISIONS = 20_000;
const DAY_MS = 24 * 3600 * 1000;

export type PatternEvaluation = {
  from: Date;
  /** null: up to the newest decision. */
  to: Date | null;
  /** Decisions replayed (runs only, the pattern's flow and node when set). */
  evaluated: number;
  /** True when the range held more than the replay limit (the newest were replayed). */
  truncated: boolean;
  /** Decisions whose input satisfies `when`. */
  matched: number;
  /** How `right` is judged: the answer equals `expect`, or (no `expect`) the feedback says correct. */
  rightBy: "expect" | "feedback";
  right: number;
  wrong: number;
  /** Inputs on which the expression threw. */
  errors: number;
  /** Feedback on the matched decisions. */
  feedback: { correct: number; incorrect: number; partial: number; none: number };
  samples: { right: string[]; wrong: string[] };
};

/** Replays a pattern over past decisions in the sandbox: how many it matches and how many of those were right. */
export async function evaluatePattern(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<PatternEvaluation> {
  requireRole(actor.role, "member");
  const { patternId, from: fromInput, to: toInput } = parseInput(EvaluatePatternInput, input);
  const pattern = await findPattern(deps.db, actor.workspaceId, patternId);
  // No `to`: up to the newest decision; no `from`: the 30 days before `to` (or now).
  const from = fromInput ?? new Date((toInput ?? deps.now()).getTime() - 30 * DAY_MS);
  if (toInput && from >= toInput) throw new AppError("BAD_REQUEST", "from: must be before to", { path: "from" });
  const d = decisions;
  const rows = await deps.db
    .select({ id: d.id, kind: d.kind, input: d.input, output: d.output, route: d.route, feedback: d.feedback })
    .from(d)
    .where(
      and(
        eq(d.workspaceId, actor.workspaceId),
        eq(d.isTest, false),
        pattern.flowId ? eq(d.flowId, pattern.flowId) : undefined,
        pattern.nodeId ? eq(d.nodeId, pattern.nodeId) : undefined,
        gte(d.createdAt, from),
        toInput ? lt(d.createdAt, toInput) : undefined,
      ),
    )
    .orderBy(desc(d.createdAt), desc(d.id))
    .limit(MAX_DECISIONS + 1);
  const replayed = rows.slice(0, MAX_DECISIONS);
  const verdicts = await evaluateWhen(pattern.when, replayed.map((r) => r.input ?? null));
  const rightBy = pattern.expect === null || pattern.expect === undefined ? "feedback" : "expect";
  const result: PatternEvaluation = {
    from,
    to: toInput ?? null,
    evaluated: replayed.length,
    truncated: rows.length > MAX_DECISIONS,
    matched: 0,
    rightBy,
    right: 0,
    wrong: 0,
    errors: 0,
    feedback: { correct: 0, incorrect: 0, partial: 0, none: 0 },
    samples: { right: [], wrong: [] },
  };
  replayed.forEach((row, i) => {
    const verdict = verdicts[i];
    if (verdict === null) result.errors += 1;
    if (!verdict) return;
    result.matched += 1;
    result.feedback[row.feedback ?? "none"] += 1;
    const right = rightBy === "expect" ? sameJson(decisionAnswer(row), pattern.expect) : row.feedback === "correct";
    if (right) {
      result.right += 1;
      if (result.samples.right.length < 5) result.samples.right.push(row.id);
    } else {
      result.wrong += 1;
      if (result.samples.wrong.length < 5) result.samples.wrong.push(row.id);
    }
  });
  return result;
}
