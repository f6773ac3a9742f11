import { Output, stepCountIs, streamText, tool, type ToolSet } from "ai";
import { LlmError, toLlmError } from "./errors";
import { computeCostUsd } from "./prices";
import { selectModel } from "./providers";
import { toSdkSchema } from "./schema";
import type { LlmAttempt, LlmCallInput, LlmCallResult, LlmToolCall } from "./types";

export const DEFAULT_MAX_STEPS = 5;

type AttemptResult = Omit<LlmCallResult, "durationMs" | "attempts">;
type AttemptOutcome =
  | { ok: true; result: AttemptResult }
  /** `emitted`: deltas were streamed or tools ran, so another model must not silently start over. */
  | { ok: false; error: unknown; emitted: boolean };

/** An exception thrown by the caller's own callback: rethrown as is, never classified. */
class CallbackFailure extends Error {
  constructor(readonly error: unknown) {
    super("callback failed");
  }
}

function guard<A extends unknown[]>(fn: ((...args: A) => void) | undefined): (...args: A) => void {
  return (...args: A) => {
    if (!fn) return;
    try {
      fn(...args);
    } catch (error) {
      throw new CallbackFailure(error);
    }
  };
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === "string" ? error : JSON.stringify(error) ?? String(error);
}

/**
 * One model call through the AI SDK (streamText), with model fallback, metrics and error mapping.
 * The SDK's own retries are off (`maxRetries: 0`): the engine owns retries and backoff, and calls
 * this again; a thrown LlmError says whether that is worth it (`retryable`, `retryAfterMs`).
 *
 * Fallback: `model`, then each of `fallbackModels`, moving on only after a retryable failure (network,
 * timeout, 408/429/5xx) that happened before anything was streamed to `onDelta` or any tool ran —
 * a half-streamed answer is not silently restarted on another model; the error is thrown (still
 * retryable) and the engine's retry makes the restart visible as a retry event.
 */
export async function callModel(input: LlmCallInput): Promise<LlmCallResult> {
  const now = input.now ?? (() => performance.now());
  const started = now();
  const apiKey = input.connection.apiKey;
  const models = [input.model, ...(input.fallbackModels ?? [])].filter((m, i, all) => m && all.indexOf(m) === i);
  const attempts: LlmAttempt[] = [];

  const fail = (error: LlmError): never => {
    error.attempts = attempts;
    throw error;
  };

  if (models.length === 0) fail(new LlmError({ code: "LLM_BAD_REQUEST", message: "No model given", retryable: false }));

  // Schemas are compiled once, before any request: a broken schema is a configuration error.
  const output = input.outputSchema ? Output.object({ schema: toSdkSchema(input.outputSchema, "output") }) : undefined;
  const tools = buildTools(input);

  for (const [index, model] of models.entries()) {
    if (input.signal.aborted) fail(toLlmError(input.signal.reason, { apiKey, signal: input.signal, model }));
    const outcome = await attempt(input, model, { output, tools, now });
    if (outcome.ok) return { ...outcome.result, durationMs: now() - started, attempts };
    if (outcome.error instanceof CallbackFailure) throw outcome.error.error;

    const error = toLlmError(outcome.error, { apiKey, signal: input.signal, model });
    attempts.push({
      model,
      error: { message: error.message, ...(error.status !== undefined && { status: error.status }), retryable: error.retryable },
    });
    const isLast = index === models.length - 1;
    if (isLast || !error.retryable || outcome.emitted || input.signal.aborted) fail(error);
  }
  // Unreachable: the loop returns or throws on its last model.
  throw new LlmError({ code: "LLM_BAD_REQUEST", message: "No model answered", retryable: false, attempts });
}

function buildTools(input: LlmCallInput): ToolSet | undefined {
  if (!input.tools?.length) return undefined;
  const set: ToolSet = {};
  for (const def of input.tools) {
    if (Object.hasOwn(set, def.name)) {
      throw new LlmError({ code: "LLM_BAD_REQUEST", message: `Duplicate tool name: ${def.name}`, retryable: false });
    }
    set[def.name] = tool({
      ...(def.description !== undefined && { description: def.description }),
      inputSchema: toSdkSchema(def.inputSchema, `tool "${def.name}" input`),
      execute: (args: unknown, options) => def.execute(args, options.abortSignal ?? input.signal),
    });
  }
  return set;
}

async function attempt(
  input: LlmCallInput,
  modelId: string,
  shared: {
    output: ReturnType<typeof Output.object<unknown>> | undefined;
    tools: ToolSet | undefined;
    now: () => number;
  },
): Promise<AttemptOutcome> {
  const { now } = shared;
  const onDelta = guard(input.onDelta);
  const onToolCall = guard(input.onToolCall);
  // Our own controller, linked to the caller's: it also stops the request when we bail out early.
  const controller = new AbortController();
  const forwardAbort = () => controller.abort(input.signal.reason);
  input.signal.addEventListener("abort", forwardAbort, { once: true });

  const requestStart = now();
  let firstTokenAt: number | null = null;
  const markFirstToken = () => {
    firstTokenAt ??= now();
  };
  let emitted = false;
  let streamError: { error: unknown } | undefined;
  let stepText = "";
  let finish: { finishReason: string; inputTokens: number | undefined; outputTokens: number | undefined } | undefined;
  const toolCalls: LlmToolCall[] = [];
  const maxSteps = Math.max(1, Math.floor(input.maxSteps ?? DEFAULT_MAX_STEPS));

  try {
    const { model, providerOptions } = selectModel(input.connection, modelId, input.fetch);
    const result = streamText({
      model,
      ...(input.system !== undefined && { system: input.system }),
      prompt: input.prompt,
      ...(input.temperature !== undefined && { temperature: input.temperature }),
      ...(input.maxTokens !== undefined && { maxOutputTokens: input.maxTokens }),
      ...(input.headers && { headers: input.headers }),
      ...(shared.tools && { tools: shared.tools, stopWhen: stepCountIs(maxSteps) }),
      ...(shared.output && { output: shared.output }),
      providerOptions,
      maxRetries: 0,
      abortSignal: controller.signal,
      // Also keeps the SDK from logging the error to the console itself.
      onError: ({ error }) => {
        streamError ??= { error };
      },
    });

    for await (const part of result.fullStream) {
      switch (part.type) {
        case "start-step":
          stepText = "";
          break;
        case "text-delta":
          if (!part.text) break;
          markFirstToken();
          stepText += part.text;
          emitted = true;
          onDelta(part.text);
          break;
        case "reasoning-delta":
        case "tool-input-start":
          markFirstToken();
          break;
        case "tool-call":
          markFirstToken();
          emitted = true;
          break;
        case "tool-result": {
          const call: LlmToolCall = { name: part.toolName, args: part.input, result: part.output };
          toolCalls.push(call);
          onToolCall(call);
          break;
        }
        case "tool-error": {
          const call: LlmToolCall = {
            name: part.toolName,
            args: part.input,
            result: undefined,
            error: errorText(part.error),
          };
          toolCalls.push(call);
          onToolCall(call);
          break;
        }
        case "error":
          streamError ??= { error: part.error };
          break;
        case "finish":
          finish = {
            finishReason: part.finishReason,
            inputTokens: part.totalUsage.inputTokens,
            outputTokens: part.totalUsage.outputTokens,
          };
          break;
        default:
          break;
      }
    }
    const end = now();

    if (input.signal.aborted) return { ok: false, error: input.signal.reason, emitted };
    if (streamError) return { ok: false, error: streamError.error, emitted };
    if (finish?.finishReason === "tool-calls") {
      return {
        ok: false,
        emitted,
        error: new LlmError({
          code: "LLM_OUTPUT_INVALID",
          message: `The model was still calling tools after maxSteps (${maxSteps}) steps`,
          retryable: false,
        }),
      };
    }

    let object: unknown;
    if (shared.output) object = await result.output;

    const usageKnown = finish?.inputTokens !== undefined || finish?.outputTokens !== undefined;
    const usage = { inputTokens: finish?.inputTokens ?? 0, outputTokens: finish?.outputTokens ?? 0 };
    const generationMs = firstTokenAt === null ? 0 : end - firstTokenAt;
    return {
      ok: true,
      result: {
        text: stepText,
        ...(shared.output && { object }),
        toolCalls,
        usage,
        model: modelId,
        ...(finish && { finishReason: finish.finishReason }),
        costUsd: usageKnown ? computeCostUsd(modelId, usage) : null,
        ttftMs: firstTokenAt === null ? null : firstTokenAt - requestStart,
        tokensPerSecond: generationMs > 0 && usage.outputTokens > 0 ? usage.outputTokens / (generationMs / 1000) : null,
      },
    };
  } catch (error) {
    return { ok: false, error, emitted };
  } finally {
    input.signal.removeEventListener("abort", forwardAbort);
    // Stops whatever is still in flight (a stream we stopped reading, a running tool).
    if (!controller.signal.aborted) controller.abort();
  }
}
