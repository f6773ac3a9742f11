import { expect, test, type Locator, type Page } from "@playwright/test";
import { createFlow, edge, execute, memberOf, node, signedInOwner, signIn, snapshot } from "./support";

// Executions: a run followed live on its timeline (every event once, in order, also across a dropped
// stream), a failing step shown red with its error, the list, and a viewer who sees no actions.

/** source -> loop over 20 items, each through a 50 ms delay -> function (logs, returns a summary) -> sink. */
const slowGraph = {
  nodes: [
    node("in", "source"),
    node("each", "loop", { over: "{{ input.items }}", maxIterations: 50 }),
    node("wait", "delay", { ms: 50 }),
    node("summary", "function", { code: "console.log('summarising', input.length); return { done: true, count: input.length };" }),
    node("out", "sink"),
  ],
  edges: [edge("in", "each"), edge("each", "wait", "body"), edge("each", "summary"), edge("summary", "out")],
};
const slowInput = { items: Array.from({ length: 20 }, (_, i) => i) };

const failingGraph = {
  nodes: [node("in", "source"), node("boom", "function", { code: "throw new Error('bad input from e2e')" }), node("out", "sink")],
  edges: [edge("in", "boom"), edge("boom", "out")],
};

type RowData = { row: Record<string, string | undefined>; card: Record<string, string | undefined> };

/**
 * Walks a windowed list (only the rows in view are in the DOM) from top to bottom: scrolls its box a
 * screenful at a time, waits two frames for the virtualizer to render, and reads the data attributes
 * of the rows in view (and of a node card inside each). Returns them by position; a position seen
 * twice must read the same both times.
 */
async function walkWindowedList(list: Locator, rowSelector: string): Promise<Map<number, RowData>> {
  await list.evaluate((el) => {
    el.scrollTop = 0;
  });
  const seen = new Map<number, RowData>();
  for (let guard = 0; guard < 1000; guard++) {
    const { rows, atEnd } = await list.evaluate(async (el, rowSelector) => {
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const rows = [...el.querySelectorAll<HTMLElement>(rowSelector)].map((r) => ({
        row: { ...r.dataset },
        card: { ...r.querySelector<HTMLElement>('[data-testid="node-card"]')?.dataset },
      }));
      const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
      el.scrollTop += Math.max(1, el.clientHeight - 30);
      return { rows, atEnd };
    }, rowSelector);
    for (const data of rows) {
      const position = Number(data.row.position);
      if (seen.has(position)) expect(data, `row at position ${position}`).toEqual(seen.get(position));
      seen.set(position, data);
    }
    if (atEnd) break;
  }
  return seen;
}

/**
 * Reads the windowed raw-event list top to bottom and checks it holds exactly 0..N-1, each once: the
 * row at position i carries index i, and every position is seen.
 */
async function expectEveryEventOnce(list: Locator) {
  const count = Number(await list.getAttribute("data-count"));
  expect(count).toBeGreaterThan(0);
  const seen = await walkWindowedList(list, '[data-testid="event-row"]');
  for (const [position, { row }] of seen) expect(Number(row.index), `row at position ${position}`).toBe(position);
  expect([...seen.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
  return count;
}

/** Every step card of the windowed steps list, in order (positions 0..N-1 all seen, no step twice). */
async function allSteps(page: Page) {
  const list = page.getByTestId("steps");
  const count = Number(await list.getAttribute("data-count"));
  const seen = await walkWindowedList(list, "li[data-position]");
  expect([...seen.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
  const steps = [...seen.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, { card }]) => ({ nodeId: card.nodeId ?? "", iteration: card.iteration ?? "", status: card.status ?? "" }));
  expect(new Set(steps.map((s) => `${s.nodeId}#${s.iteration}`)).size, "each step once").toBe(steps.length);
  return steps;
}

test("a run is followed live to completion: output, steps, and every event exactly once", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Rita Runner");
  const flowId = await createFlow(api, workspaceId, "Slow loop", slowGraph);

  // The list starts empty, with a REST example for starting a run.
  await page.goto(`/w/${workspaceId}/executions`);
  await expect(page.getByRole("heading", { name: "No executions yet" })).toBeVisible();
  await expect(page.getByText("/execute")).toBeVisible();

  const executionId = await execute(api, workspaceId, flowId, slowInput);
  await page.goto(`/w/${workspaceId}/executions/${executionId}`);
  await expect(page.getByRole("heading", { name: "Slow loop" })).toBeVisible();
  await expect(page.getByTestId("execution-status")).toHaveAttribute("data-status", "completed", { timeout: 20_000 });
  await expect(page.getByTestId("execution-output")).toContainText('"count": 20');
  // The steps list is windowed: walk it. One card per node and loop iteration, each once, all completed.
  const steps = await allSteps(page);
  expect(steps.map((s) => s.nodeId).filter((id) => id !== "wait")).toEqual(["in", "each", "summary", "out"]);
  const waits = steps.filter((s) => s.nodeId === "wait");
  expect(new Set(waits.map((s) => s.iteration)).size).toBe(20);
  expect(steps.every((s) => s.status === "completed")).toBe(true);
  await expect(page.getByTestId("stream-viewer")).toContainText("summarising 20");
  // Members act: a finished run offers Retry, not Cancel.
  await expect(page.getByRole("button", { name: "Retry" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);

  const count = await expectEveryEventOnce(page.getByTestId("raw-events"));
  const stored = await api.get(`/api/v1/executions/${executionId}/events?limit=1000`, { headers: { "x-weft-workspace": workspaceId } });
  expect(stored.status()).toBe(200);
  const body = (await stored.json()) as { items?: unknown[]; events?: unknown[] };
  expect(count).toBe((body.items ?? body.events ?? []).length);
  await snapshot(page, testInfo, "timeline");

  // The list: the run with its flow, status and cost ("unknown" never shows as $0 for a priced run; no AI here).
  await page.goto(`/w/${workspaceId}/executions`);
  const row = page.getByTestId("execution-row").first();
  await expect(row).toContainText("Slow loop");
  await expect(row).toHaveAttribute("data-status", "completed");
  await page.getByLabel("Status").selectOption("failed");
  await expect(page.getByRole("heading", { name: "No matching executions" })).toBeVisible();
  await page.getByLabel("Status").selectOption("completed");
  await expect(page.getByTestId("execution-row")).toHaveCount(1);
  await snapshot(page, testInfo, "executions-list");

  // A second run, watched from the list: its row shows it active, then refreshes to completed by itself.
  await page.getByLabel("Status").selectOption("");
  await execute(api, workspaceId, flowId, slowInput);
  await page.reload();
  await expect(page.getByTestId("execution-row")).toHaveCount(2);
  const newest = page.getByTestId("execution-row").first();
  await expect(newest).toHaveAttribute("data-status", /pending|running/);
  await expect(newest).toHaveAttribute("data-status", "completed", { timeout: 15_000 });
  await api.dispose();
});

test("a dropped stream resumes after the last event: no gaps, no duplicates", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Reza Reconnect");
  const flowId = await createFlow(api, workspaceId, "Flaky network", slowGraph);

  const requests: string[] = [];
  await page.route("**/api/executions/*/stream*", async (route) => {
    requests.push(route.request().url());
    if (requests.length > 1) return route.continue();
    // The first connection: deliver part of the stream (ending mid-event), then drop it.
    const response = await route.fetch();
    const text = await response.text();
    const cut = Math.floor(text.length * 0.4);
    await route.fulfill({ status: 200, headers: { "content-type": "text/event-stream" }, body: text.slice(0, cut) });
  });

  const executionId = await execute(api, workspaceId, flowId, slowInput);
  await page.goto(`/w/${workspaceId}/executions/${executionId}`);
  await expect(page.getByTestId("execution-status")).toHaveAttribute("data-status", "completed", { timeout: 20_000 });
  await expect(page.getByTestId("execution-output")).toContainText('"count": 20');
  expect(requests.length).toBeGreaterThanOrEqual(2);
  expect(requests[0]).not.toContain("lastEventIndex");
  expect(requests[1]).toMatch(/lastEventIndex=\d+/);

  const count = await expectEveryEventOnce(page.getByTestId("raw-events"));
  const stored = await api.get(`/api/v1/executions/${executionId}/events?limit=1000`, { headers: { "x-weft-workspace": workspaceId } });
  const body = (await stored.json()) as { items?: unknown[]; events?: unknown[] };
  expect(count).toBe((body.items ?? body.events ?? []).length);
  await snapshot(page, testInfo, "timeline-reconnected");
  await api.dispose();
});

test("a failing function shows its step red with the error; a viewer sees no action buttons", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Fay Failure");
  const flowId = await createFlow(api, workspaceId, "Broken code", failingGraph);
  const executionId = await execute(api, workspaceId, flowId, {});

  await page.goto(`/w/${workspaceId}/executions/${executionId}`);
  await expect(page.getByTestId("execution-status")).toHaveAttribute("data-status", "failed", { timeout: 20_000 });
  const card = page.locator('[data-testid="node-card"][data-node-id="boom"]');
  await expect(card).toHaveAttribute("data-status", "failed");
  await expect(card).toHaveClass(/border-destructive/);
  await expect(card.getByTestId("node-error")).toContainText("bad input from e2e");
  await expect(page.getByTestId("execution-error")).toContainText("bad input from e2e");
  await expect(page.getByRole("button", { name: "Resume from failed node" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Retry" })).toBeVisible();
  await expectEveryEventOnce(page.getByTestId("raw-events"));
  await snapshot(page, testInfo, "timeline-failed");

  // A viewer of the same workspace: the same timeline, no actions.
  const viewer = await memberOf(playwright, baseURL, api, workspaceId, "Vic Viewer", "viewer");
  await page.context().clearCookies();
  await signIn(page, viewer);
  await page.goto(`/w/${workspaceId}/executions/${executionId}`);
  await expect(page.getByTestId("execution-status")).toHaveAttribute("data-status", "failed");
  await expect(page.locator('[data-testid="node-card"][data-node-id="boom"]').getByTestId("node-error")).toContainText("bad input from e2e");
  for (const name of ["Retry", "Resume from failed node", "Cancel run", "Pause", "Resume", "Approve", "Reject"]) {
    await expect(page.getByRole("button", { name, exact: true })).toHaveCount(0);
  }
  await snapshot(page, testInfo, "timeline-viewer");
  await viewer.dispose();
  await api.dispose();
});

test("a member cancels a running run from its timeline", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Cass Cancel");
  const flowId = await createFlow(api, workspaceId, "Long wait", {
    nodes: [node("in", "source"), node("wait", "delay", { ms: 20_000 }), node("out", "sink")],
    edges: [edge("in", "wait"), edge("wait", "out")],
  });
  const executionId = await execute(api, workspaceId, flowId, {});

  await page.goto(`/w/${workspaceId}/executions/${executionId}`);
  await expect(page.locator('[data-testid="node-card"][data-node-id="wait"]')).toHaveAttribute("data-status", "running");
  await expect(page.getByRole("button", { name: "Retry" })).toHaveCount(0);
  await page.getByRole("button", { name: "Cancel run" }).click();
  const dialog = page.getByRole("dialog", { name: "Cancel this run?" });
  await dialog.getByRole("button", { name: "Cancel run" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("execution-status")).toHaveAttribute("data-status", "cancelled");
  await expect(page.getByRole("button", { name: "Retry" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
  await expectEveryEventOnce(page.getByTestId("raw-events"));
  await snapshot(page, testInfo, "timeline-cancelled");
  await api.dispose();
});
