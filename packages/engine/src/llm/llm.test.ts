import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "../../test/fake-openai";
import { callModel, LlmError, selectModel, type LlmCallInput, type LlmConnection } from "./index";

const KEY = "sk-test-SECRET-0123456789abcdef";

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(async () => {
  await fake.close();
});

const openai = (): LlmConnection => ({ provider: "openai", apiKey: KEY, baseUrl: fake.url });
const compatible = (): LlmConnection => ({ provider: "openai_compatible", apiKey: KEY, baseUrl: fake.url });

function input(overrides: Partial<LlmCallInput> = {}): LlmCallInput {
  return { connection: openai(), model: "gpt-4o-mini", prompt: "Say hello", signal: new AbortController().signal, ...overrides };
}

async function rejection(promise: Promise<unknown>): Promise<LlmError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LlmError);
  return error as LlmError;
}

function expectNoKey(error: LlmError) {
  expect(error.message).not.toContain(KEY);
  expect(String(error.stack)).not.toContain(KEY);
  expect(JSON.stringify(error)).not.toContain(KEY);
  expect(JSON.stringify(error.attempts)).not.toContain(KEY);
}

describe("callModel: streaming text", () => {
  it("streams deltas in order through onDelta and joins them to the text (openai provider, Chat Completions)", async () => {
    fake.script([{ text: "Hello there, general Kenobi!", chunks: 5 }]);
    const deltas: string[] = [];
    const result = await callModel(input({ onDelta: (d) => deltas.push(d) }));

    expect(deltas).toHaveLength(5);
    expect(deltas.join("")).toBe("Hello there, general Kenobi!");
    expect(result.text).toBe("Hello there, general Kenobi!");
    expect(result.model).toBe("gpt-4o-mini");
    expect(result.finishReason).toBe("stop");
    expect(result).not.toHaveProperty("object");
    expect(result.attempts).toEqual([]);
    expect(result.toolCalls).toEqual([]);

    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0]!;
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request.body).toMatchObject({ model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true } });
    expect(request.body.messages).toEqual([{ role: "user", content: "Say hello" }]);
  });

  it("sends system prompt, temperature, max tokens and extra headers", async () => {
    fake.script([{ text: "ok" }]);
    await callModel(
      input({
        connection: compatible(),
        model: "llama-3.1-8b",
        system: "You are terse.",
        temperature: 0.2,
        maxTokens: 64,
        headers: { "Idempotency-Key": "exec-1:node-1:0" },
      }),
    );
    const request = fake.requests[0]!;
    expect(request.headers["idempotency-key"]).toBe("exec-1:node-1:0");
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request.body).toMatchObject({ model: "llama-3.1-8b", temperature: 0.2, max_tokens: 64, stream: true });
    expect(request.body.stream_options).toEqual({ include_usage: true });
    expect(request.body.messages[0]).toEqual({ role: "system", content: "You are terse." });
  });

  it("reports usage and cost: a known model has a number, an unknown model has null (never 0)", async () => {
    fake.script([
      { text: "priced", usage: { promptTokens: 1000, completionTokens: 500 } },
      { text: "unpriced", usage: { promptTokens: 1000, completionTokens: 500 } },
    ]);
    const known = await callModel(input({ model: "gpt-4o-mini" }));
    expect(known.usage).toEqual({ inputTokens: 1000, outputTokens: 500 });
    // gpt-4o-mini: $0.15 / 1M in, $0.60 / 1M out
    expect(known.costUsd).toBeCloseTo((1000 * 0.15 + 500 * 0.6) / 1e6, 12);

    const unknown = await callModel(input({ connection: compatible(), model: "my-local-llama" }));
    expect(unknown.usage).toEqual({ inputTokens: 1000, outputTokens: 500 });
    expect(unknown.costUsd).toBeNull();
  });

  it("measures TTFT and tokens/s when chunks arrive over time", async () => {
    fake.script([{ text: "one two three four five six", chunks: 4, delayMs: 25, usage: { completionTokens: 6 } }]);
    const result = await callModel(input());
    expect(result.ttftMs).toEqual(expect.any(Number));
    expect(result.ttftMs!).toBeGreaterThan(0);
    expect(result.tokensPerSecond).toEqual(expect.any(Number));
    expect(result.tokensPerSecond!).toBeGreaterThan(0);
    expect(result.durationMs).toBeGreaterThanOrEqual(result.ttftMs!);
    // 6 tokens over the 3 delays after the first token (~75 ms): well under 1000 tokens/s.
    expect(result.tokensPerSecond!).toBeLessThan(1000);
  });

  it("uses the injected clock for the metrics", async () => {
    fake.script([{ text: "abc", chunks: 3, usage: { completionTokens: 10 } }]);
    let t = 0;
    const result = await callModel(input({ now: () => (t += 100) }));
    // Each reading advances the clock by 100 ms. Readings: call start (100), request start (200),
    // first token (300), end of stream (400), end of call (500).
    expect(result.ttftMs).toBe(100);
    expect(result.tokensPerSecond).toBe(100); // 10 tokens in 0.1 s
    expect(result.durationMs).toBe(400);
  });

  it("uses the custom fetch for every request", async () => {
    fake.script([{ text: "via custom fetch" }]);
    let calls = 0;
    const counting: typeof fetch = (url, init) => {
      calls++;
      return fetch(url, init);
    };
    const result = await callModel(input({ fetch: counting }));
    expect(result.text).toBe("via custom fetch");
    expect(calls).toBe(1);
  });
});

describe("callModel: structured output", () => {
  const schema = {
    type: "object",
    properties: { name: { type: "string" }, age: { type: "integer", minimum: 0 } },
    required: ["name", "age"],
    additionalProperties: false,
  };

  it("asks for a json_schema response, parses it and validates it", async () => {
    fake.script([{ json: { name: "Ada", age: 36 }, chunks: 4 }]);
    const deltas: string[] = [];
    const result = await callModel(input({ connection: compatible(), outputSchema: schema, onDelta: (d) => deltas.push(d) }));
    expect(result.object).toEqual({ name: "Ada", age: 36 });
    expect(result.text).toBe('{"name":"Ada","age":36}');
    expect(deltas.join("")).toBe(result.text);
    expect(fake.requests[0]!.body.response_format).toMatchObject({
      type: "json_schema",
      json_schema: { schema: { type: "object", required: ["name", "age"] }, strict: false },
    });
  });

  it("works the same on the openai provider", async () => {
    fake.script([{ json: { name: "Grace", age: 85 } }]);
    const result = await callModel(input({ outputSchema: schema }));
    expect(result.object).toEqual({ name: "Grace", age: 85 });
    expect(fake.requests[0]!.body.response_format.type).toBe("json_schema");
  });

  it("fails with LLM_OUTPUT_INVALID on text that is not JSON", async () => {
    fake.script([{ text: "Sure! Here is your JSON: {name: Ada}" }]);
    const error = await rejection(callModel(input({ outputSchema: schema, fallbackModels: ["gpt-4o"] })));
    expect(error.code).toBe("LLM_OUTPUT_INVALID");
    expect(error.retryable).toBe(false);
    expect(fake.requests).toHaveLength(1); // not a reason to fall back
  });

  it("fails with LLM_OUTPUT_INVALID on JSON that does not match the schema", async () => {
    fake.script([{ json: { name: "Ada", age: -1, extra: true } }]);
    const error = await rejection(callModel(input({ outputSchema: schema })));
    expect(error.code).toBe("LLM_OUTPUT_INVALID");
    expect(error.message).toMatch(/did not match schema/);
    expect(error.message).toMatch(/age/);
  });

  it("rejects an invalid schema before any request (LLM_BAD_REQUEST)", async () => {
    fake.script([{ text: "never sent" }]);
    const error = await rejection(callModel(input({ outputSchema: { type: "object", properties: { a: { type: "nope" } } } })));
    expect(error.code).toBe("LLM_BAD_REQUEST");
    expect(fake.requests).toHaveLength(0);
  });
});

describe("callModel: tools", () => {
  const weatherTool = (execute = vi.fn(async (args: unknown, _signal: AbortSignal) => ({ city: (args as { city: string }).city, tempC: 21 }))) => ({
    execute,
    tool: {
      name: "get_weather",
      description: "Current weather in a city",
      inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      execute,
    },
  });

  it("runs a tool the model calls, sends the result back, and returns the final text", async () => {
    fake.script([{ toolCalls: [{ name: "get_weather", arguments: { city: "Paris" }, id: "call_1" }] }, { text: "It is 21°C in Paris." }]);
    const { tool, execute } = weatherTool();
    const seen: unknown[] = [];
    const deltas: string[] = [];
    const result = await callModel(input({ tools: [tool], onToolCall: (c) => seen.push(c), onDelta: (d) => deltas.push(d) }));

    expect(execute).toHaveBeenCalledTimes(1);
    expect(execute.mock.calls[0]![0]).toEqual({ city: "Paris" });
    expect(execute.mock.calls[0]![1]).toBeInstanceOf(AbortSignal);
    const call = { name: "get_weather", args: { city: "Paris" }, result: { city: "Paris", tempC: 21 } };
    expect(seen).toEqual([call]);
    expect(result.toolCalls).toEqual([call]);
    expect(result.text).toBe("It is 21°C in Paris.");
    expect(deltas.join("")).toBe("It is 21°C in Paris.");
    expect(result.ttftMs).not.toBeNull();

    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]!.body.tools).toEqual([
      expect.objectContaining({ type: "function", function: expect.objectContaining({ name: "get_weather" }) }),
    ]);
    const messages = fake.requests[1]!.body.messages as Array<Record<string, unknown>>;
    const assistant = messages.find((m) => m.role === "assistant");
    expect(assistant?.tool_calls).toEqual([
      expect.objectContaining({ id: "call_1", function: expect.objectContaining({ name: "get_weather" }) }),
    ]);
    const toolMessage = messages.find((m) => m.role === "tool");
    expect(toolMessage).toMatchObject({ tool_call_id: "call_1" });
    expect(JSON.parse(toolMessage!.content as string)).toEqual({ city: "Paris", tempC: 21 });
    // usage is summed over both steps
    expect(result.usage.inputTokens).toBe(20);
  });

  it("validates tool arguments against the tool schema and tells the model about the error", async () => {
    fake.script([{ toolCalls: [{ name: "get_weather", arguments: { town: "Paris" } }] }, { text: "Sorry, I need a city." }]);
    const { tool, execute } = weatherTool();
    const result = await callModel(input({ tools: [tool] }));
    expect(execute).not.toHaveBeenCalled();
    expect(result.toolCalls).toHaveLength(1);
    expect(result.toolCalls[0]!.error).toMatch(/city/);
    expect(result.text).toBe("Sorry, I need a city.");
    const toolMessage = (fake.requests[1]!.body.messages as Array<Record<string, unknown>>).find((m) => m.role === "tool");
    expect(String(toolMessage?.content)).toMatch(/city/);
  });

  it("fails with LLM_OUTPUT_INVALID when the model is still calling tools after maxSteps", async () => {
    fake.script([{ toolCalls: [{ name: "get_weather", arguments: { city: "Oslo" } }] }]);
    const { tool, execute } = weatherTool();
    const error = await rejection(callModel(input({ tools: [tool], maxSteps: 1 })));
    expect(error.code).toBe("LLM_OUTPUT_INVALID");
    expect(error.message).toMatch(/maxSteps \(1\)/);
    expect(execute).toHaveBeenCalledTimes(1);
    expect(fake.requests).toHaveLength(1);
  });
});

describe("callModel: errors and fallback", () => {
  it("429 -> LLM_RATE_LIMITED, retryable, with retryAfterMs; no retry by the SDK", async () => {
    fake.script([{ status: 429, retryAfter: 7, message: "Rate limit reached for requests" }]);
    const error = await rejection(callModel(input()));
    expect(error.code).toBe("LLM_RATE_LIMITED");
    expect(error.status).toBe(429);
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(7000);
    expect(error.message).toContain("Rate limit reached");
    expect(error.attempts).toEqual([
      { model: "gpt-4o-mini", error: { message: error.message, status: 429, retryable: true } },
    ]);
    expect(fake.requests).toHaveLength(1);
  });

  it("500 on the primary model, then the fallback model answers", async () => {
    fake.script([
      { model: "primary", status: 500, message: "The server had an error" },
      { model: "backup", text: "from the backup" },
    ]);
    const result = await callModel(input({ connection: compatible(), model: "primary", fallbackModels: ["backup"] }));
    expect(result.model).toBe("backup");
    expect(result.text).toBe("from the backup");
    expect(result.attempts).toEqual([
      { model: "primary", error: { message: "The server had an error", status: 500, retryable: true } },
    ]);
    expect(fake.requests.map((r) => r.body.model)).toEqual(["primary", "backup"]);
  });

  it("throws the last error with every attempt when all models fail retryably", async () => {
    fake.script([
      { model: "a", status: 503 },
      { model: "b", status: 429, retryAfter: 2 },
    ]);
    const error = await rejection(callModel(input({ model: "a", fallbackModels: ["b"] })));
    expect(error.code).toBe("LLM_RATE_LIMITED");
    expect(error.retryAfterMs).toBe(2000);
    expect(error.model).toBe("b");
    expect(error.attempts.map((a) => [a.model, a.error.status])).toEqual([
      ["a", 503],
      ["b", 429],
    ]);
  });

  it("401 fails fast without trying fallbacks, and the echoed key is redacted", async () => {
    fake.script([
      { status: 401, message: `Incorrect API key provided: ${KEY}. Header was Bearer ${KEY}` },
      { text: "must not be used" },
    ]);
    const error = await rejection(callModel(input({ model: "primary", fallbackModels: ["backup"] })));
    expect(error.code).toBe("LLM_AUTH");
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("Incorrect API key provided");
    expectNoKey(error);
    expect(error.attempts).toHaveLength(1);
    expect(fake.requests.map((r) => r.body.model)).toEqual(["primary"]);
  });

  it("404 (unknown model) -> LLM_BAD_REQUEST, not retryable", async () => {
    fake.script([{ status: 404, message: "The model `gpt-9` does not exist" }]);
    const error = await rejection(callModel(input({ model: "gpt-9", fallbackModels: ["gpt-4o"] })));
    expect(error).toMatchObject({ code: "LLM_BAD_REQUEST", status: 404, retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  it("a connection failure is LLM_NETWORK, retryable, and never shows the key", async () => {
    const closed = await startFakeOpenAI();
    const url = closed.url;
    await closed.close();
    const error = await rejection(
      callModel(input({ connection: { provider: "openai", apiKey: KEY, baseUrl: url } })),
    );
    expect(error.code).toBe("LLM_NETWORK");
    expect(error.retryable).toBe(true);
    expectNoKey(error);
  });

  it("a stream cut after the first delta is not restarted on a fallback model", async () => {
    fake.script([
      { model: "primary", text: "partial answer that breaks", chunks: 4, dropAfterChunks: 1 },
      { model: "backup", text: "must not be used" },
    ]);
    const deltas: string[] = [];
    const error = await rejection(
      callModel(input({ model: "primary", fallbackModels: ["backup"], onDelta: (d) => deltas.push(d) })),
    );
    expect(error.code).toBe("LLM_NETWORK");
    expect(error.retryable).toBe(true);
    expect(deltas.length).toBe(1);
    expect(fake.requests.map((r) => r.body.model)).toEqual(["primary"]);
  });

  it("aborts a hanging request through the signal", async () => {
    fake.script([{ hang: true }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const error = await rejection(callModel(input({ signal: controller.signal, fallbackModels: ["gpt-4o"] })));
    expect(error.code).toBe("LLM_ABORTED");
    expect(error.retryable).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(fake.requests).toHaveLength(1);
  });

  it("aborts mid-stream", async () => {
    fake.script([{ text: "a slow answer in many parts", chunks: 5, delayMs: 40 }]);
    const controller = new AbortController();
    const deltas: string[] = [];
    const error = await rejection(
      callModel(
        input({
          signal: controller.signal,
          onDelta: (d) => {
            deltas.push(d);
            controller.abort();
          },
        }),
      ),
    );
    expect(error.code).toBe("LLM_ABORTED");
    expect(deltas).toHaveLength(1);
  });

  it("does not send anything when the signal is already aborted", async () => {
    const error = await rejection(callModel(input({ signal: AbortSignal.abort() })));
    expect(error.code).toBe("LLM_ABORTED");
    expect(fake.requests).toHaveLength(0);
  });

  it("a timeout of the caller's signal is a retryable LLM_NETWORK error", async () => {
    fake.script([{ hang: true }]);
    const error = await rejection(callModel(input({ signal: AbortSignal.timeout(50) })));
    expect(error).toMatchObject({ code: "LLM_NETWORK", retryable: true, message: "LLM request timed out" });
  });

  it("an error thrown by the caller's onDelta is rethrown as is", async () => {
    fake.script([{ text: "hello" }]);
    const boom = new Error("consumer failed");
    await expect(
      callModel(
        input({
          onDelta: () => {
            throw boom;
          },
        }),
      ),
    ).rejects.toBe(boom);
  });
});

describe("provider selection", () => {
  function stubFetch(status: number, body: unknown) {
    const calls: Array<{ url: string; headers: Headers; body: unknown }> = [];
    const stub: typeof fetch = async (url, init) => {
      calls.push({
        url: url instanceof Request ? url.url : String(url),
        headers: new Headers(init?.headers),
        body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
      });
      return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    };
    return { stub, calls };
  }

  it("maps each provider to its AI SDK model (never a bare model id)", () => {
    const o = selectModel({ provider: "openai", apiKey: KEY }, "gpt-4o");
    expect(o.model).toMatchObject({ provider: "openai.chat", modelId: "gpt-4o" });
    const a = selectModel({ provider: "anthropic", apiKey: KEY }, "claude-sonnet-4-20250514");
    expect(a.model).toMatchObject({ provider: "anthropic.messages", modelId: "claude-sonnet-4-20250514" });
    const c = selectModel({ provider: "openai_compatible", apiKey: KEY, baseUrl: "http://llm.test/v1" }, "llama3");
    expect(c.model).toMatchObject({ provider: "openai-compatible.chat", modelId: "llama3" });
  });

  it("openai_compatible without a base URL is LLM_BAD_REQUEST", async () => {
    const error = await rejection(callModel(input({ connection: { provider: "openai_compatible", apiKey: KEY } })));
    expect(error.code).toBe("LLM_BAD_REQUEST");
  });

  it("openai defaults to api.openai.com Chat Completions, whatever OPENAI_BASE_URL says", async () => {
    vi.stubEnv("OPENAI_BASE_URL", "http://attacker.test/v1");
    try {
      const { stub, calls } = stubFetch(401, { error: { message: "Incorrect API key provided" } });
      const error = await rejection(callModel(input({ connection: { provider: "openai", apiKey: KEY }, fetch: stub })));
      expect(error.code).toBe("LLM_AUTH");
      expect(calls[0]!.url).toBe("https://api.openai.com/v1/chat/completions");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("anthropic goes to the Messages API with x-api-key, through the given fetch", async () => {
    const { stub, calls } = stubFetch(401, {
      type: "error",
      error: { type: "authentication_error", message: `invalid x-api-key ${KEY}` },
    });
    const error = await rejection(
      callModel(
        input({
          connection: { provider: "anthropic", apiKey: KEY },
          model: "claude-3-5-haiku-latest",
          system: "Be brief.",
          fallbackModels: ["claude-3-5-sonnet-latest"],
          fetch: stub,
        }),
      ),
    );
    expect(error).toMatchObject({ code: "LLM_AUTH", status: 401, retryable: false });
    expectNoKey(error);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe("https://api.anthropic.com/v1/messages");
    expect(calls[0]!.headers.get("x-api-key")).toBe(KEY);
    expect(calls[0]!.body).toMatchObject({ model: "claude-3-5-haiku-latest", stream: true, system: [{ text: "Be brief." }] });
  });

  it("anthropic streams text and usage (a stubbed Messages API event stream)", async () => {
    const events = [
      { type: "message_start", message: { id: "msg_1", type: "message", role: "assistant", model: "claude-3-5-haiku-20241022", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 } } },
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hello" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: " from Claude" } },
      { type: "content_block_stop", index: 0 },
      { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 4 } },
      { type: "message_stop" },
    ];
    const sse = events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join("");
    let url = "";
    const stub: typeof fetch = async (request) => {
      url = request instanceof Request ? request.url : request.toString();
      return new Response(sse, { status: 200, headers: { "content-type": "text/event-stream" } });
    };
    const deltas: string[] = [];
    const result = await callModel(
      input({
        connection: { provider: "anthropic", apiKey: KEY },
        model: "claude-3-5-haiku-latest",
        fetch: stub,
        onDelta: (d) => deltas.push(d),
      }),
    );
    expect(url).toBe("https://api.anthropic.com/v1/messages");
    expect(deltas).toEqual(["Hello", " from Claude"]);
    expect(result.text).toBe("Hello from Claude");
    expect(result.usage).toEqual({ inputTokens: 12, outputTokens: 4 });
    expect(result.costUsd).toBeCloseTo((12 * 0.8 + 4 * 4) / 1e6, 12);
  });

  it("anthropic uses the connection's base URL when given", async () => {
    const { stub, calls } = stubFetch(529, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
    const error = await rejection(
      callModel(
        input({
          connection: { provider: "anthropic", apiKey: KEY, baseUrl: "https://proxy.example/anthropic/v1" },
          model: "claude-sonnet-4",
          fetch: stub,
        }),
      ),
    );
    expect(error).toMatchObject({ code: "LLM_SERVER_ERROR", status: 529, retryable: true });
    expect(calls[0]!.url).toBe("https://proxy.example/anthropic/v1/messages");
  });
});
