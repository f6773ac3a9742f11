import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModel } from "ai";
import { LlmError } from "./errors";
import type { LlmConnection } from "./types";

type ProviderOptions = Record<string, Record<string, string | number | boolean>>;

export const OPENAI_BASE_URL = "https://api.openai.com/v1";
export const ANTHROPIC_BASE_URL = "https://api.anthropic.com/v1";

export type SelectedModel = {
  model: Exclude<LanguageModel, string>;
  /** Per-provider options for streamText (`providerOptions`). */
  providerOptions: ProviderOptions;
};

/**
 * The AI SDK model object for a connection. Always an explicit provider instance — a bare model-id
 * string would route to Vercel's hosted gateway — and always an explicit base URL, so that the
 * server's OPENAI_BASE_URL / ANTHROPIC_BASE_URL / *_API_KEY environment never redirects or
 * authenticates a tenant's call.
 *
 * - openai: the Chat Completions API (`.chat()`); `openai(model)` would call the Responses API,
 *   which OpenAI-compatible servers do not implement.
 * - openai_compatible: Chat Completions with `stream_options.include_usage` and `json_schema`
 *   response formats (vLLM, Ollama, LM Studio, Together, Groq... support it).
 * - anthropic: the Messages API.
 *
 * Structured output is requested with `strict: false`: OpenAI's strict mode rejects most
 * hand-written schemas (it demands `additionalProperties: false` and every property required), and
 * the result is validated against the schema by us anyway.
 */
export function selectModel(connection: LlmConnection, modelId: string, fetchImpl?: typeof fetch): SelectedModel {
  const baseUrl = connection.baseUrl?.trim() || undefined;
  const fetchOption = fetchImpl ? { fetch: fetchImpl } : {};
  switch (connection.provider) {
    case "openai": {
      const provider = createOpenAI({ apiKey: connection.apiKey, baseURL: baseUrl ?? OPENAI_BASE_URL, ...fetchOption });
      return { model: provider.chat(modelId), providerOptions: { openai: { strictJsonSchema: false } } };
    }
    case "openai_compatible": {
      if (!baseUrl) {
        throw new LlmError({
          code: "LLM_BAD_REQUEST",
          message: "An openai_compatible connection needs a base URL",
          retryable: false,
        });
      }
      const provider = createOpenAICompatible({
        name: "openai-compatible",
        baseURL: baseUrl,
        apiKey: connection.apiKey,
        includeUsage: true,
        supportsStructuredOutputs: true,
        ...fetchOption,
      });
      return { model: provider.chatModel(modelId), providerOptions: { openaiCompatible: { strictJsonSchema: false } } };
    }
    case "anthropic": {
      const provider = createAnthropic({ apiKey: connection.apiKey, baseURL: baseUrl ?? ANTHROPIC_BASE_URL, ...fetchOption });
      return { model: provider.messages(modelId), providerOptions: {} };
    }
    default: {
      const provider: never = connection.provider;
      throw new LlmError({ code: "LLM_BAD_REQUEST", message: `Unknown LLM provider: ${String(provider)}`, retryable: false });
    }
  }
}
