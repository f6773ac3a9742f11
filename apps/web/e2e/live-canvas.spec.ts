import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { canvasNode, liveNode } from "./builder";
import { at, createFlow, edge, execute, node, signedInOwner, snapshot } from "./support";

// The live canvas: a run's graph with each node coloured by its status as the events arrive, edges
// animated while data flows, and a bar with progress, elapsed time, tokens, cost and Cancel — on the
// execution page and in the flow builder right after Run. A failing function shows red with its
// error; fixed in the builder, the run resumes from the failed node and the node turns green.

/** source -> approval -> loop over the items (each through a 50 ms delay) -> function -> sink. */
const gatedLoop = {
  nodes: [
    node("in", "source", {}, at(0, 0)),
    node("gate", "approval", { message: "Start the loop?" }, at(260, 0)),
    node("each", "loop", { over: "{{ nodes.in.output.items }}", maxIterations: 50 }, at(520, 0)),
    node("wait", "delay", { ms: 50 }, at(800, 160)),
    node("summary", "function", { code: "return { count: input.length };" }, at(800, -60)),
    node("out", "sink", {}, at(1080, 0)),
  ],
  edges: [edge("in", "gate"), edge("gate", "each"), edge("each", "wait", "body"), edge("each", "summary"), edge("summary", "out")],
};

const failing = {
  nodes: [
    node("in", "source", {}, at(0, 0)),
    node("boom", "function", { code: "throw new Error('bad input from e2e')" }, at(300, 0)),
    node("out", "sink", {}, at(600, 0)),
  ],
  edges: [edge("in", "boom"), edge("boom", "out")],
};

/** Records every `node:status` any live node showed, and every edge that was animated, from page load on. */
async function recordLiveStatuses(page: Page) {
  await page.addInitScript(() => {
    const seen = new Set<string>();
    (window as unknown as { liveSeen: Set<string> }).liveSeen = seen;
    const record = () => {
      for (const el of document.querySelectorAll<HTMLElement>('[data-testid="live-node"]')) seen.add(`${el.dataset.nodeId}:${el.dataset.status}`);
      for (const el of document.querySelectorAll<SVGElement>(".react-flow__edge.animated")) seen.add(`edge:${el.dataset.id}`);
    };
    new MutationObserver(record).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-status", "class"] });
  });
  return () => page.evaluate(() => [...(window as unknown as { liveSeen: Set<string> }).liveSeen]);
}

/** A screenshot of the live canvas alone, attached to the report. */
async function canvasShot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.getByTestId("live-canvas").screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

test("a run followed on its execution page: nodes go pending, running, completed; the bar counts them", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Lena Live");
  const flowId = await createFlow(api, workspaceId, "Gated loop", gatedLoop);
  const seen = await recordLiveStatuses(page);

  const executionId = await execute(api, workspaceId, flowId, { items: Array.from({ length: 20 }, (_, i) => i) });
  await page.goto(`/w/${workspaceId}/executions/${executionId}`);

  // Paused at the approval: the gate waits (amber), what comes after it is pending.
  await expect(liveNode(page, "gate")).toHaveAttribute("data-status", "waiting");
  await expect(liveNode(page, "in")).toHaveAttribute("data-status", "completed");
  await expect(liveNode(page, "in").getByTestId("live-node-duration")).toBeVisible();
  for (const id of ["each", "wait", "summary", "out"]) await expect(liveNode(page, id)).toHaveAttribute("data-status", "pending");
  const bar = page.getByTestId("live-bar");
  await expect(bar.getByTestId("live-status")).toHaveAttribute("data-status", "paused");
  await expect(bar.getByTestId("live-progress")).toHaveText("1/6");
  await expect(bar.getByRole("progressbar", { name: "Nodes done" })).toHaveAttribute("aria-valuenow", "1");
  // No AI step: nothing is spent, shown as $0 (not "unknown") while the run is still going.
  await expect(bar.getByTestId("live-cost")).toHaveText("$0");
  // The header already offers Cancel on this page; the bar does not repeat it.
  await expect(bar.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
  await canvasShot(page, testInfo, "live-canvas-waiting");

  await page.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(page.getByTestId("execution-status")).toHaveAttribute("data-status", "completed", { timeout: 20_000 });
  for (const id of ["in", "gate", "each", "wait", "summary", "out"]) await expect(liveNode(page, id)).toHaveAttribute("data-status", "completed");
  await expect(liveNode(page, "wait").getByTestId("live-node-iterations")).toHaveText("20 iterations");
  await expect(liveNode(page, "each").getByTestId("live-node-duration")).toBeVisible();
  await expect(bar.getByTestId("live-status")).toHaveAttribute("data-status", "completed");
  await expect(bar.getByTestId("live-progress")).toHaveText("6/6");
  await expect(bar.getByTestId("live-elapsed")).not.toHaveText("—");
  await expect(bar.getByTestId("live-tokens")).toHaveText("0");
  await expect(bar.getByTestId("live-cost")).toHaveText("$0");

  // Seen on the way: the loop and its body running, and data flowing into the loop while it ran.
  const statuses = await seen();
  expect(statuses).toEqual(expect.arrayContaining(["each:pending", "each:running", "each:completed", "wait:running", "edge:gate->each"]));

  await canvasShot(page, testInfo, "live-canvas-completed");
  await snapshot(page, testInfo, "timeline-with-live-canvas");
  await api.dispose();
});

test("a failing function shows red with its error in the builder's live view; fixed, the run resumes from it", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Finn Fixer");
  const flowId = await createFlow(api, workspaceId, "Fix me", failing);

  await page.goto(`/w/${workspaceId}/flows/${flowId}`);
  await expect(page.locator(".react-flow__node")).toHaveCount(3);
  await snapshot(page, testInfo, "builder");

  await page.getByRole("button", { name: "Run draft", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Run the draft" });
  await dialog.getByRole("button", { name: "Start run" }).click();
  await expect(dialog).toBeHidden();

  // The canvas became the live view; the editor is gone until "Back to editing".
  const live = page.getByTestId("builder-live");
  await expect(live).toBeVisible();
  await expect(page.getByTestId("canvas")).toBeHidden();
  await expect(page.getByRole("navigation", { name: "Blocks" })).toBeHidden();
  const boom = liveNode(page, "boom");
  await expect(boom).toHaveAttribute("data-status", "failed");
  await expect(boom).toHaveClass(/border-destructive/);
  await expect(liveNode(page, "in")).toHaveAttribute("data-status", "completed");
  await expect(liveNode(page, "out")).toHaveAttribute("data-status", "pending");
  await expect(live.getByTestId("live-status")).toHaveAttribute("data-status", "failed");
  await expect(live.getByTestId("live-progress")).toHaveText("1/3");
  await expect(live.getByRole("button", { name: "Cancel run" })).toHaveCount(0);

  // The error: on hover, and on keyboard focus (the node's accessible name carries it too).
  const error = boom.getByRole("tooltip");
  await expect(error).toBeHidden();
  await boom.hover();
  await expect(error).toBeVisible();
  await expect(error).toContainText("bad input from e2e");
  await canvasShot(page, testInfo, "live-canvas-builder-failed");
  await page.mouse.move(0, 0);
  await expect(error).toBeHidden();
  const focusable = page.getByRole("group", { name: /boom.*Failed.*bad input from e2e/ });
  await focusable.focus();
  await expect(error).toBeVisible();
  await snapshot(page, testInfo, "builder-live-view");

  const link = live.getByRole("link", { name: "View execution" });
  const href = (await link.getAttribute("href"))!;
  expect(href).toMatch(new RegExp(`/w/${workspaceId}/executions/[0-9a-f-]{36}$`));

  // Back to editing: fix the code in the config panel; it autosaves.
  await live.getByRole("button", { name: "Back to editing" }).click();
  await expect(live).toBeHidden();
  await expect(page.getByTestId("canvas")).toBeVisible();
  await canvasNode(page, "boom").click();
  const code = page.getByRole("complementary", { name: "Inspector" }).getByLabel("Code", { exact: true });
  await code.fill("return { fixed: true };");
  await expect(page.getByRole("status", { name: "Save status" })).toHaveText("Saved");

  // The execution page: the same live view, red; resume from the failed node turns it green.
  await page.goto(href);
  await expect(page.getByTestId("execution-status")).toHaveAttribute("data-status", "failed");
  await expect(liveNode(page, "boom")).toHaveAttribute("data-status", "failed");
  await page.getByRole("button", { name: "Resume from failed node" }).click();
  await expect(page.getByTestId("execution-status")).toHaveAttribute("data-status", "completed", { timeout: 20_000 });
  for (const id of ["in", "boom", "out"]) await expect(liveNode(page, id)).toHaveAttribute("data-status", "completed");
  await expect(liveNode(page, "boom")).toHaveClass(/border-success/);
  await expect(liveNode(page, "boom").getByTestId("live-node-duration")).toBeVisible();
  await expect(liveNode(page, "boom").getByRole("tooltip")).toHaveCount(0);
  await expect(page.getByTestId("live-bar").getByTestId("live-progress")).toHaveText("3/3");
  await expect(page.getByTestId("execution-output")).toContainText('"fixed": true');
  await canvasShot(page, testInfo, "live-canvas-resumed");
  await snapshot(page, testInfo, "timeline-resumed");
  await api.dispose();
});

test("the builder's live bar ticks while the run is active and cancels it", async ({ page, playwright, baseURL }) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Cleo Cancel");
  const flowId = await createFlow(api, workspaceId, "Long wait", {
    nodes: [node("in", "source", {}, at(0, 0)), node("wait", "delay", { ms: 20_000 }, at(300, 0)), node("out", "sink", {}, at(600, 0))],
    edges: [edge("in", "wait"), edge("wait", "out")],
  });

  await page.goto(`/w/${workspaceId}/flows/${flowId}`);
  await page.getByRole("button", { name: "Run draft", exact: true }).click();
  await page.getByRole("dialog", { name: "Run the draft" }).getByRole("button", { name: "Start run" }).click();
  const live = page.getByTestId("builder-live");
  await expect(liveNode(page, "wait")).toHaveAttribute("data-status", "running");
  await expect(page.locator(".react-flow__edge.animated")).toHaveCount(1);
  await expect(live.getByTestId("live-status")).toHaveAttribute("data-status", "running");

  const elapsed = live.getByTestId("live-elapsed");
  await expect(elapsed).not.toHaveText("—");
  const first = await elapsed.textContent();
  await expect(elapsed).not.toHaveText(first!);

  await live.getByRole("button", { name: "Cancel run" }).click();
  const dialog = page.getByRole("dialog", { name: "Cancel this run?" });
  await dialog.getByRole("button", { name: "Cancel run" }).click();
  await expect(dialog).toBeHidden();
  await expect(live.getByTestId("live-status")).toHaveAttribute("data-status", "cancelled");
  await expect(live.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
  await expect(liveNode(page, "out")).toHaveAttribute("data-status", "pending");
  await api.dispose();
});
