import { ANTHROPIC_BASE_URL, callModel, OPENAI_BASE_URL, type JsonSchemaObject, type LlmConnection } from "../llm";
import type { BlockContext, BlockExecutor, BlockResult } from "../runtime/block";
import type { BlockServices } from "./types";

type AiConfig = {
  connectionId: string;
  model: string;
  systemPrompt?: string;
  prompt: string;
  outputSchema?: JsonSchemaObject;
  temperature?: number;
  maxTokens?: number;
  tools?: Array<{ name: string; description: string; inputSchema: JsonSchemaObject; code: string }>;
  fallbackModels?: string[];
};

/**
 * ai: a model call through the LLM gateway (guarded fetch), tokens streamed as `node_stream`, tools run
 * in the sandbox, structured output validated, usage/cost/TTFT/tokens-per-second as metrics.
 */
export function aiBlock(services: BlockServices): BlockExecutor {
  return {
    type: "ai",
    async execute(ctx) {
      const config = ctx.node.config as AiConfig;
      const connection = await services.getConnection({ workspaceId: ctx.execution.workspaceId, connectionId: config.connectionId });
      // How long each tool ran, per tool name in the order the calls finished (the order of `toolCalls`).
      const durations = new Map<string, number[]>();
      const result = await namingConnection(connection, () => callModel({
        connection,
        model: config.model,
        fallbackModels: config.fallbackModels,
        system: config.systemPrompt === undefined ? undefined : stringify(services.renderTemplate(config.systemPrompt, ctx.scope)),
        prompt: stringify(services.renderTemplate(config.prompt, ctx.scope)),
        temperature: config.temperature,
        maxTokens: config.maxTokens,
        outputSchema: config.outputSchema,
        tools: config.tools?.map((tool) => ({
          name: tool.name,
          description: tool.description,
          inputSchema: tool.inputSchema,
          execute: async (args: unknown, signal: AbortSignal) => {
            const started = performance.now();
            try {
              return (await services.runFunction({ code: tool.code, input: args, ctx: { tool: tool.name }, signal })).value;
            } finally {
              durations.set(tool.name, [...(durations.get(tool.name) ?? []), Math.round(performance.now() - started)]);
            }
          },
        })),
        signal: ctx.signal,
        fetch: services.fetch,
        headers: { "Idempotency-Key": ctx.idempotencyKey },
        onDelta: ctx.stream,
      }));
      const toolCalls = result.toolCalls.map((call) => ({ ...call, durationMs: durations.get(call.name)?.shift() ?? null }));
      return toResult({ ...result, toolCalls });
    },
  };
}

function toResult(result: Awaited<ReturnType<typeof callModel>>): BlockResult {
  return {
    output: {
      ...(result.object !== undefined ? { object: result.object } : {}),
      text: result.text,
      model: result.model,
      ...(result.toolCalls.length > 0 ? { toolCalls: result.toolCalls } : {}),
      usage: result.usage,
    },
    metrics: {
      tokensIn: result.usage.inputTokens,
      tokensOut: result.usage.outputTokens,
      costUsd: result.costUsd,
      ttftMs: result.ttftMs === null ? null : Math.round(result.ttftMs),
      tokensPerSecond: result.tokensPerSecond,
    },
  };
}

/** router in AI mode: the model picks one of the route handles (structured output with an enum). */
export function aiRouter(services: BlockServices) {
  return async (ctx: BlockContext): Promise<BlockResult> => {
    const config = ctx.node.config as { routes?: Array<{ handle: string }>; default?: string; connectionId: string; model: string; prompt?: string };
    const handles = [...new Set([...(config.routes ?? []).map((r) => r.handle), ...(config.default ? [config.default] : [])])];
    const connection = await services.getConnection({ workspaceId: ctx.execution.workspaceId, connectionId: config.connectionId });
    const result = await namingConnection(connection, () => callModel({
      connection,
      model: config.model,
      system: `Choose the route for the input. Answer with one of: ${handles.join(", ")}.`,
      prompt: `${stringify(services.renderTemplate(config.prompt ?? "{{ input }}", ctx.scope))}`,
      outputSchema: { type: "object", properties: { handle: { type: "string", enum: handles } }, required: ["handle"], additionalProperties: false },
      signal: ctx.signal,
      fetch: services.fetch,
      onDelta: ctx.stream,
    }));
    const handle = (result.object as { handle: string }).handle;
    const base = toResult(result);
    return { ...base, output: { handle, input: ctx.input }, handle };
  };
}

/** The host a connection calls: its base URL's, else the provider's (the raw text when it is no URL). */
export function connectionHost(connection: LlmConnection): string {
  const base = connection.baseUrl ?? (connection.provider === "anthropic" ? ANTHROPIC_BASE_URL : connection.provider === "openai" ? OPENAI_BASE_URL : "");
  try {
    return new URL(base).host;
  } catch {
    return base.replace(/^[a-z]+:\/\//i, "").split("/")[0] ?? base;
  }
}

/**
 * A failed model call names the connection and the host it called ("Connection "Prod OpenAI"
 * (api.openai.com): Network error: ..."), so a run's error says which settings to fix; code,
 * retryability and Retry-After are kept.
 */
async function namingConnection<T>(connection: LlmConnection, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Error && !error.message.startsWith("Connection ")) {
      const name = connection.name ? `"${connection.name}" ` : "";
      error.message = `Connection ${name}(${connectionHost(connection)}): ${error.message}`;
    }
    throw error;
  }
}

const stringify = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
