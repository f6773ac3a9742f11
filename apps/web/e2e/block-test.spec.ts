import { expect, test } from "@playwright/test";
import { startFakeOpenAI, type FakeOpenAI } from "../../../packages/engine/test/fake-openai";
import { inspector, openBlock, openBuilder, shot } from "./builder";
import { at, createFlow, edge, inWorkspace, node, signedInOwner } from "./support";

// The block test panel in the builder's inspector (Test tab), against a fake OpenAI-compatible
// provider on 127.0.0.1 that streams tokens and makes one tool call.

let fake: FakeOpenAI;
test.beforeAll(async () => {
  fake = await startFakeOpenAI();
});
test.afterAll(async () => {
  await fake?.close();
});

const weatherTool = {
  name: "weather",
  description: "The weather of a city",
  inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  code: "return { city: input.city, celsius: 21 };",
};
const answer = () => [
  { toolCalls: [{ name: "weather", arguments: { city: "Paris" }, id: "call_1" }] },
  { text: "It is 21 degrees and sunny in Paris today.", chunks: 10, delayMs: 250, usage: { promptTokens: 40, completionTokens: 12 } },
];

test("tests an AI block from the builder: tokens stream, a tool card, metrics, cancel, replay and compare", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Tess Tester");
  const created = await api.post("/api/v1/connections", {
    headers: inWorkspace(workspaceId),
    data: { name: "Fake OpenAI", provider: "openai_compatible", apiKey: "sk-test-not-real", baseUrl: fake.url },
  });
  expect(created.status(), await created.text()).toBe(201);
  const connectionId = ((await created.json()) as { connection: { id: string } }).connection.id;
  const flowId = await createFlow(api, workspaceId, "Weather", {
    nodes: [
      node("in", "source", {}, at(0, 0), { label: "Start" }),
      node("ask", "ai", { connectionId, model: "gpt-4o-mini", prompt: "Weather in {{ input.city }}?", tools: [weatherTool] }, at(300, 0), { label: "Ask" }),
      node("out", "sink", {}, at(600, 0), { label: "End" }),
    ],
    edges: [edge("in", "ask"), edge("ask", "out")],
  });
  await openBuilder(page, workspaceId, flowId, 3);
  await openBlock(page, "ask");
  await inspector(page).getByRole("tab", { name: "Test" }).click();
  const panel = page.getByTestId("test-panel");
  await panel.getByLabel("Input (JSON)").fill('{ "city": "Paris" }');

  // First test: the tokens arrive while it runs, then the tool card and the metrics.
  fake.script(answer());
  await panel.getByRole("button", { name: "Run test" }).click();
  await expect(panel.getByTestId("test-stream-text")).toContainText("It is");
  await expect(panel.getByTestId("test-live")).toHaveAttribute("data-status", "completed");
  await expect(panel.getByTestId("test-output")).toContainText("It is 21 degrees and sunny in Paris today.");
  const card = panel.getByTestId("tool-card");
  await expect(card).toContainText("weather");
  await expect(card).toContainText('"celsius": 21');
  await expect(panel.getByTestId("metric-ttft")).not.toContainText("—");
  await expect(panel.getByTestId("metric-tps")).toContainText("tok/s");
  await expect(panel.getByTestId("metric-cost")).toContainText("$");
  await shot(page, testInfo, "block-test-ai");

  // Second test: cancelled while it streams.
  fake.script([{ text: "word ".repeat(120), chunks: 120, delayMs: 100 }]);
  await panel.getByRole("button", { name: "Run test" }).click();
  await expect(panel.getByTestId("test-stream-text")).toContainText("word");
  await panel.getByRole("button", { name: "Cancel" }).click();
  await expect(panel.getByTestId("test-cancelled")).toBeVisible();
  const items = panel.getByTestId("test-history-item");
  await expect(items).toHaveCount(2);

  // Replay the first (the oldest, last in the list) with the current config.
  fake.script(answer());
  await items.nth(1).getByRole("button", { name: /^Replay test [0-9a-f]{8}$/ }).click();
  await expect(items).toHaveCount(3);
  await expect(panel.getByTestId("test-live")).toHaveAttribute("data-status", "completed");

  // Compare the first test and its replay.
  await items.nth(0).getByRole("checkbox").check();
  await items.nth(2).getByRole("checkbox").check();
  const compare = panel.getByTestId("test-compare");
  await expect(compare).toBeVisible();
  await expect(compare.getByTestId("compare-diff")).toContainText("It is 21 degrees and sunny in Paris today.");
  await expect(compare.getByTestId("delta-ttftMs")).toBeVisible();
  await expect(compare.getByTestId("delta-costUsd")).toContainText("$");
  await shot(page, testInfo, "block-test-compare");
  await api.dispose();
});

test("tests a function block: its console line and output", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Fern Function");
  const flowId = await createFlow(api, workspaceId, "Doubling", {
    nodes: [
      node("in", "source", {}, at(0, 0), { label: "Start" }),
      node("double", "function", { code: "console.log('doubling', input.n); return { doubled: input.n * 2 };" }, at(300, 0), { label: "Double" }),
      node("out", "sink", {}, at(600, 0), { label: "End" }),
    ],
    edges: [edge("in", "double"), edge("double", "out")],
  });
  await openBuilder(page, workspaceId, flowId, 3);
  await openBlock(page, "double");
  await inspector(page).getByRole("tab", { name: "Test" }).click();
  const panel = page.getByTestId("test-panel");
  await panel.getByLabel("Input (JSON)").fill('{ "n": 21 }');
  await panel.getByRole("button", { name: "Run test" }).click();
  await expect(panel.getByTestId("test-live")).toHaveAttribute("data-status", "completed");
  await expect(panel.getByTestId("test-logs")).toContainText("doubling 21");
  await expect(panel.getByTestId("test-output")).toContainText('"doubled": 42');
  await expect(panel.getByTestId("test-history-item")).toHaveCount(1);
  await shot(page, testInfo, "block-test-function");
  await api.dispose();
});
