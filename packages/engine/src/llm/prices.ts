/**
 * Per-model list prices, USD per 1M tokens, used for the cost metric of AI blocks.
 *
 * PRICES TAKEN FROM MEMORY OF THE PROVIDERS' PUBLIC PRICE PAGES AS OF 2025 (no network access when
 * this table was written). They MUST be reviewed against https://openai.com/api/pricing and
 * https://www.anthropic.com/pricing before they are shown to anyone as billing-grade numbers.
 *
 * Rules:
 * - A model that is not in the table has an UNKNOWN cost: `priceFor` returns null and
 *   `computeCostUsd` returns null — never 0 (design section 4).
 * - Dated snapshots and `-latest` aliases resolve to their base entry (`gpt-4o-2024-08-06` -> `gpt-4o`,
 *   `claude-3-5-sonnet-20241022` -> `claude-3-5-sonnet`). There is no prefix matching: `gpt-4o-mini`
 *   is its own entry, never `gpt-4o`; fine-tunes (`ft:...`) are unknown.
 * - Cached-input discounts, batch discounts and long-context surcharges are not modelled: the cost is
 *   an estimate at list price for uncached input.
 */
export type ModelPrice = {
  /** USD per 1M input (prompt) tokens. */
  inputPerMTok: number;
  /** USD per 1M output (completion) tokens, reasoning tokens included. */
  outputPerMTok: number;
};

const PRICES: Readonly<Record<string, ModelPrice>> = {
  // OpenAI
  "gpt-5": { inputPerMTok: 1.25, outputPerMTok: 10 },
  "gpt-5-mini": { inputPerMTok: 0.25, outputPerMTok: 2 },
  "gpt-5-nano": { inputPerMTok: 0.05, outputPerMTok: 0.4 },
  "gpt-4.1": { inputPerMTok: 2, outputPerMTok: 8 },
  "gpt-4.1-mini": { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  "gpt-4.1-nano": { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  "gpt-4o": { inputPerMTok: 2.5, outputPerMTok: 10 },
  "gpt-4o-mini": { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  "gpt-4-turbo": { inputPerMTok: 10, outputPerMTok: 30 },
  "gpt-4": { inputPerMTok: 30, outputPerMTok: 60 },
  "gpt-3.5-turbo": { inputPerMTok: 0.5, outputPerMTok: 1.5 },
  o1: { inputPerMTok: 15, outputPerMTok: 60 },
  "o1-mini": { inputPerMTok: 1.1, outputPerMTok: 4.4 },
  o3: { inputPerMTok: 2, outputPerMTok: 8 },
  "o3-mini": { inputPerMTok: 1.1, outputPerMTok: 4.4 },
  "o4-mini": { inputPerMTok: 1.1, outputPerMTok: 4.4 },
  // Anthropic
  "claude-3-haiku": { inputPerMTok: 0.25, outputPerMTok: 1.25 },
  "claude-3-opus": { inputPerMTok: 15, outputPerMTok: 75 },
  "claude-3-5-haiku": { inputPerMTok: 0.8, outputPerMTok: 4 },
  "claude-3-5-sonnet": { inputPerMTok: 3, outputPerMTok: 15 },
  "claude-3-7-sonnet": { inputPerMTok: 3, outputPerMTok: 15 },
  "claude-sonnet-4": { inputPerMTok: 3, outputPerMTok: 15 },
  "claude-opus-4": { inputPerMTok: 15, outputPerMTok: 75 },
  "claude-opus-4-1": { inputPerMTok: 15, outputPerMTok: 75 },
  "claude-sonnet-4-5": { inputPerMTok: 3, outputPerMTok: 15 },
  "claude-haiku-4-5": { inputPerMTok: 1, outputPerMTok: 5 },
};

/** `-2024-08-06` (OpenAI snapshots), `-20241022` (Anthropic snapshots), `-latest` (aliases). */
const SNAPSHOT_SUFFIX = /-(?:\d{4}-\d{2}-\d{2}|\d{8}|latest)$/;

/** The list price of `model`, or null when it is not known. */
export function priceFor(model: string): ModelPrice | null {
  const id = model.trim().toLowerCase();
  if (Object.hasOwn(PRICES, id)) return PRICES[id] ?? null;
  const base = id.replace(SNAPSHOT_SUFFIX, "");
  if (base !== id && Object.hasOwn(PRICES, base)) return PRICES[base] ?? null;
  return null;
}

/** Cost in USD of one call, or null (unknown) when the model has no price. */
export function computeCostUsd(model: string, usage: { inputTokens: number; outputTokens: number }): number | null {
  const price = priceFor(model);
  if (!price) return null;
  const cost = (usage.inputTokens * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1_000_000;
  // Keep floating-point noise (0.30000000000000004) out of stored metrics; 1e-9 USD is far below a token.
  return Math.round(cost * 1e9) / 1e9;
}
