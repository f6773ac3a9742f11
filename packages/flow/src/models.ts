// Model ids the builder suggests for AI blocks, per connection provider. Suggestions only: the model
// field stays free text (a new model, a fine-tune, or whatever an OpenAI-compatible server serves).
// Every id here has a list price in the engine's price table (packages/engine/src/llm/prices.ts; a
// test there keeps the two in step), so a suggested model never shows an unknown cost.

export const knownModels = {
  openai: [
    "gpt-5",
    "gpt-5-mini",
    "gpt-5-nano",
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.1-nano",
    "gpt-4o",
    "gpt-4o-mini",
    "o3",
    "o3-mini",
    "o4-mini",
  ],
  anthropic: ["claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1", "claude-sonnet-4", "claude-opus-4", "claude-3-5-haiku"],
  /** An OpenAI-compatible server serves models of its own: nothing to suggest. */
  openai_compatible: [],
} as const satisfies Record<string, readonly string[]>;

export type ModelProvider = keyof typeof knownModels;

/** A cheap, capable default per provider (new AI blocks from templates). */
export const defaultModels = { openai: "gpt-4o-mini", anthropic: "claude-haiku-4-5" } as const;

/** The suggested models of a connection's provider (none for an unknown provider). */
export function suggestedModels(provider: string | undefined): readonly string[] {
  return provider !== undefined && Object.hasOwn(knownModels, provider) ? knownModels[provider as ModelProvider] : [];
}
