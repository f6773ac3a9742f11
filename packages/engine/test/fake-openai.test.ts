import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "./fake-openai";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON is asserted on freely
type Wire = any;

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(async () => {
  await fake.close();
});

const post = (body: unknown) =>
  fetch(`${fake.url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer k" },
    body: JSON.stringify(body),
  });

function sseData(text: string): unknown[] {
  return text
    .split("\n\n")
    .filter((block) => block.startsWith("data: "))
    .map((block) => block.slice(6))
    .map((data) => (data === "[DONE]" ? data : JSON.parse(data)));
}

describe("fake OpenAI server", () => {
  it("listens on 127.0.0.1 under /v1 and records requests", async () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    fake.script([{ text: "hi" }]);
    await (await post({ model: "m", messages: [] })).text();
    expect(fake.requests).toEqual([
      expect.objectContaining({ method: "POST", path: "/v1/chat/completions", body: { model: "m", messages: [] } }),
    ]);
    expect(fake.requests[0]!.headers.authorization).toBe("Bearer k");
  });

  it("streams text chunks, a finish chunk, usage when asked, then [DONE]", async () => {
    fake.script([{ text: "abcdef", chunks: 3, usage: { promptTokens: 3, completionTokens: 2 } }]);
    const res = await post({ model: "m", stream: true, stream_options: { include_usage: true } });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events = sseData(await res.text()) as Wire[];
    expect(events.at(-1)).toBe("[DONE]");
    const contents = events.flatMap((e) => (e.choices?.[0]?.delta?.content ? [e.choices[0].delta.content] : []));
    expect(contents).toEqual(["ab", "cd", "ef"]);
    expect(events.find((e) => e.choices?.[0]?.finish_reason)?.choices[0].finish_reason).toBe("stop");
    expect(events.at(-2).usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
  });

  it("streams tool-call deltas with finish_reason tool_calls", async () => {
    fake.script([{ toolCalls: [{ name: "lookup", arguments: { q: "x" }, id: "call_9" }] }]);
    const events = sseData(await (await post({ model: "m", stream: true })).text()) as Wire[];
    const deltas = events.flatMap((e) => e.choices?.[0]?.delta?.tool_calls ?? []);
    expect(deltas[0]).toMatchObject({ index: 0, id: "call_9", function: { name: "lookup" } });
    expect(deltas.map((d: Wire) => d.function.arguments).join("")).toBe('{"q":"x"}');
    expect(events.some((e) => e.choices?.[0]?.finish_reason === "tool_calls")).toBe(true);
    expect(events.some((e) => e.usage)).toBe(false); // include_usage was not asked for
  });

  it("answers non-stream requests with one JSON completion", async () => {
    fake.script([{ json: { a: 1 } }]);
    const body = (await (await post({ model: "m" })).json()) as Wire;
    expect(body.object).toBe("chat.completion");
    expect(body.choices[0].message).toEqual({ role: "assistant", content: '{"a":1}' });
    expect(body.usage.prompt_tokens).toBe(10);
  });

  it("scripts errors with Retry-After and restricts replies to a model", async () => {
    fake.script([{ model: "b", text: "for b" }, { status: 429, retryAfter: 3 }]);
    const limited = await post({ model: "a" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");
    expect(((await limited.json()) as Wire).error.message).toMatch(/429/);
    const forB = (await (await post({ model: "b" })).json()) as Wire;
    expect(forB.choices[0].message.content).toBe("for b");
    const none = await post({ model: "c" });
    expect(none.status).toBe(400);
    expect(((await none.json()) as Wire).error.message).toMatch(/no scripted reply/);
    expect(fake.pending()).toEqual([]);
  });

  it("hangs until the client gives up", async () => {
    fake.script([{ hang: true }]);
    await expect(
      fetch(`${fake.url}/chat/completions`, { method: "POST", body: "{}", signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow();
  });
});
