export const providers = [
  { value: "openai", label: "OpenAI" },
  { value: "anthropic", label: "Anthropic" },
  { value: "openai_compatible", label: "OpenAI-compatible" },
] as const;

export type Provider = (typeof providers)[number]["value"];

export const providerLabel = (provider: Provider) => providers.find((p) => p.value === provider)?.label ?? provider;
