/**
 * LLM gateway: one entry point (`callModel`) over the AI SDK for OpenAI, Anthropic and
 * OpenAI-compatible servers, with model fallback, structured output, tool loops, metrics and
 * secret-free errors. See README.md in this folder for the decisions.
 */
export { callModel, DEFAULT_MAX_STEPS } from "./call-model";
export { LlmError, parseRetryAfterMs, redactSecrets, toLlmError, type LlmErrorCode } from "./errors";
export { computeCostUsd, priceFor, type ModelPrice } from "./prices";
export { ANTHROPIC_BASE_URL, OPENAI_BASE_URL, selectModel, type SelectedModel } from "./providers";
export type {
  JsonSchemaObject,
  LlmAttempt,
  LlmAttemptError,
  LlmCallInput,
  LlmCallResult,
  LlmConnection,
  LlmTool,
  LlmToolCall,
  LlmUsage,
} from "./types";
