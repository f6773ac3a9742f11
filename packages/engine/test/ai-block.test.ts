import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@weft/db/testing";
import { createTestEngine, edge, node } from "../src/testing";
import { startFakeOpenAI } from "./fake-openai";
import { expectEventsFollowContract, seedFlow } from "./support";

/** The AI block end to end: engine -> LLM gateway (guarded fetch) -> a fake OpenAI-compatible server. */
let database: TestDatabase;
let fake: Awaited<ReturnType<typeof startFakeOpenAI>>;
let t: Awaited<ReturnType<typeof createTestEngine>>;
let seed: Awaited<ReturnType<typeof seedFlow>>;
const CONNECTION = "6f1d7c1e-4a1b-4c55-9a55-2f6a3a7e9b10";
/** A connection whose base URL has a port no socket can use: undici says only "bad port". */
const BAD_PORT = "0b7e5f3c-2d1e-4f4a-8b6c-1a2b3c4d5e6f";
const SECRET = "sk-test-never-leaks-123";

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeOpenAI();
  t = await createTestEngine(database, {
    getConnection: async ({ connectionId }) => {
      if (connectionId === BAD_PORT) return { name: "Local llama", provider: "openai_compatible", apiKey: SECRET, baseUrl: "http://127.0.0.1:1/v1" };
      if (connectionId !== CONNECTION) throw new Error("Connection not found");
      return { provider: "openai_compatible", apiKey: SECRET, baseUrl: fake.url };
    },
  });
  await t.engine.start();
  seed = await seedFlow(database.db);
});
afterAll(async () => {
  await t?.engine.stop();
  await fake?.close();
  await database?.close();
});

const aiFlow = (config: Record<string, unknown>, data: Record<string, unknown> = {}) => ({
  nodes: [node("in", "source"), node("ask", "ai", { connectionId: CONNECTION, prompt: "Summarise {{ input.text }}", ...config }, data), node("out", "sink")],
  edges: [edge("in", "ask"), edge("ask", "out")],
});

async function runToEnd(graph: { nodes: unknown[]; edges: unknown[] }, input: unknown) {
  const execution = await t.store.create({ workspaceId: seed.workspaceId, flowId: seed.flowId, graph, input });
  const done = await t.waitFor(execution.id, ["completed", "failed"]);
  return { ...done, events: await t.store.events(execution.id) };
}

describe("ai block", () => {
  it("streams tokens into node_stream events and records usage, cost, TTFT and tokens/s", async () => {
    fake.script([{ text: "Weft runs flows durably.", chunks: 6, delayMs: 15, usage: { promptTokens: 120, completionTokens: 30 } }]);
    const result = await runToEnd(aiFlow({ model: "gpt-4o-mini" }), { text: "the docs" });
    expect(result.execution.status).toBe("completed");
    const deltas = result.events.filter((e) => e.type === "node_stream" && e.data.delta).map((e) => String(e.data.delta));
    expect(deltas.join("")).toBe("Weft runs flows durably.");
    expect(deltas.length).toBeGreaterThan(1); // streamed, coalesced into a few events, not one per token
    const streamIdx = result.events.findIndex((e) => e.type === "node_stream");
    const completeIdx = result.events.findIndex((e) => e.type === "node_complete" && e.data.nodeId === "ask");
    expect(streamIdx).toBeLessThan(completeIdx);
    expect(result.execution.output).toMatchObject({ text: "Weft runs flows durably.", model: "gpt-4o-mini" });
    const block = result.blocks.find((b) => b.nodeId === "ask")!;
    expect(block).toMatchObject({ tokensIn: 120, tokensOut: 30 });
    expect(Number(block.costUsd)).toBeGreaterThan(0);
    expect(block.ttftMs).toBeGreaterThan(0);
    expect(block.tokensPerSecond).toBeGreaterThan(0);
    expect(result.execution).toMatchObject({ tokensIn: 120, tokensOut: 30 });
    expect(Number(result.execution.costUsd)).toBeCloseTo(Number(block.costUsd), 8);
    expect(fake.requests.at(-1)?.body).toMatchObject({ messages: [{ role: "user", content: "Summarise the docs" }] });
    expect(JSON.stringify(result.events)).not.toContain(SECRET);
  });

  it("reports cost as unknown (null), never 0, for a model without a price", async () => {
    fake.script([{ text: "ok", usage: { promptTokens: 5, completionTokens: 1 } }]);
    const result = await runToEnd(aiFlow({ model: "my-local-llama" }), { text: "x" });
    expect(result.blocks.find((b) => b.nodeId === "ask")?.costUsd).toBeNull();
    expect(result.execution.costUsd).toBeNull();
  });

  it("returns structured output validated against outputSchema", async () => {
    fake.script([{ json: { sentiment: "positive", score: 0.9 } }]);
    const outputSchema = { type: "object", properties: { sentiment: { enum: ["positive", "negative"] }, score: { type: "number" } }, required: ["sentiment", "score"] };
    const result = await runToEnd(aiFlow({ model: "gpt-4o-mini", outputSchema }), { text: "great" });
    expect(result.execution.output).toMatchObject({ object: { sentiment: "positive", score: 0.9 } });
  });

  it("runs a tool in the sandbox and sends its result back to the model", async () => {
    fake.script([{ toolCalls: [{ name: "add", arguments: { a: 2, b: 3 } }] }, { text: "2 + 3 = 5" }]);
    const tools = [{ name: "add", description: "adds", inputSchema: { type: "object", properties: { a: { type: "number" }, b: { type: "number" } } }, code: "return input.a + input.b;" }];
    const result = await runToEnd(aiFlow({ model: "gpt-4o-mini", tools }), { text: "sum" });
    expect(result.execution.status).toBe("completed");
    expect(result.execution.output).toMatchObject({ text: "2 + 3 = 5", toolCalls: [{ name: "add", args: { a: 2, b: 3 }, result: 5 }] });
    const second = fake.requests.at(-1)?.body as { messages: Array<{ role: string; content: unknown }> };
    expect(second.messages.some((m) => m.role === "tool" && String(m.content).includes("5"))).toBe(true);
  });

  it("retries a 429 with backoff (node_retry), then succeeds", async () => {
    fake.script([{ status: 429, retryAfter: 0 }, { text: "second time lucky" }]);
    const result = await runToEnd(aiFlow({ model: "gpt-4o-mini" }, { retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 20 } }), { text: "x" });
    expect(result.execution.status).toBe("completed");
    expect(result.events.filter((e) => e.type === "node_retry")).toHaveLength(1);
    expect(result.events.find((e) => e.type === "node_retry")?.data.error).toMatchObject({ code: "LLM_RATE_LIMITED" });
    expect(result.blocks.find((b) => b.nodeId === "ask")?.attempt).toBe(2);
  });

  it("falls back to the next model when the primary answers 500", async () => {
    fake.script([{ model: "primary-model", status: 500 }, { model: "backup-model", text: "from the backup" }]);
    const result = await runToEnd(aiFlow({ model: "primary-model", fallbackModels: ["backup-model"] }), { text: "x" });
    expect(result.execution.status).toBe("completed");
    expect(result.execution.output).toMatchObject({ text: "from the backup", model: "backup-model" });
  });

  it("routes with a model in AI mode: the chosen handle runs, the other is skipped", async () => {
    fake.script([{ json: { handle: "billing" } }]);
    const graph = {
      nodes: [
        node("in", "source"),
        node("triage", "router", { mode: "ai", connectionId: CONNECTION, model: "gpt-4o-mini", prompt: "Ticket: {{ input.text }}", routes: [{ handle: "billing", when: "payment problems" }, { handle: "tech", when: "bugs" }] }),
        node("billing", "function", { code: "return 'billing team';" }),
        node("tech", "function", { code: "return 'tech team';" }),
        node("out", "sink"),
      ],
      edges: [edge("in", "triage"), edge("triage", "billing", "billing"), edge("triage", "tech", "tech"), edge("billing", "out"), edge("tech", "out")],
    };
    const result = await runToEnd(graph, { text: "I was charged twice" });
    expect(result.execution.status).toBe("completed");
    expect(result.execution.output).toEqual({ billing: "billing team" });
    expect(result.events.filter((e) => e.type === "node_skipped").map((e) => e.data.nodeId)).toEqual(["tech"]);
  });

  it("fails fast on a 401 without leaking the key", async () => {
    fake.script([{ status: 401, message: `Incorrect API key provided: ${SECRET}` }]);
    const result = await runToEnd(aiFlow({ model: "gpt-4o-mini" }, { retry: { maxAttempts: 3, initialDelayMs: 10 } }), { text: "x" });
    expect(result.execution.status).toBe("failed");
    expect(result.execution.error).toMatchObject({ code: "LLM_AUTH", nodeId: "ask" });
    expect(result.events.filter((e) => e.type === "node_retry")).toHaveLength(0);
    expect(JSON.stringify(result.events) + JSON.stringify(result.execution.error)).not.toContain(SECRET);
  });

  it("a network failure names the connection and the host it called", async () => {
    const result = await runToEnd(aiFlow({ model: "gpt-4o-mini", connectionId: BAD_PORT }), { text: "x" });
    expect(result.execution.status).toBe("failed");
    const error = result.execution.error as { code: string; message: string; nodeId: string };
    expect(error).toMatchObject({ code: "LLM_NETWORK", nodeId: "ask" });
    expect(error.message).toMatch(/^Connection "Local llama" \(127\.0\.0\.1:1\): /);
    expect(JSON.stringify(result.events)).not.toContain(SECRET);
  });
});

it("stores only events that follow the event contract (packages/flow)", async () => {
  await expectEventsFollowContract(database.db);
});
