import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { createFlow, edge, execute, node, signedInOwner, snapshot } from "./support";

// Issue 12's accessibility bar: axe finds no serious or critical violation on the flows list, an
// execution page, the executions list and settings. Also: /favicon.ico is served, and the Blocks
// placeholder is not in the navigation.

async function expectNoSeriousViolations(page: Page, testInfo: TestInfo, name: string) {
  // The canvas's own SVG internals are React Flow's; everything else is checked.
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  await testInfo.attach(`axe-${name}.json`, { body: JSON.stringify(serious, null, 2), contentType: "application/json" });
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`), name).toEqual([]);
}

test("flows, an execution, executions and settings have no serious or critical axe violations", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Alex Axe");
  const failing = {
    nodes: [node("in", "source"), node("boom", "function", { code: "throw new Error('axe check')" }), node("out", "sink")],
    edges: [edge("in", "boom"), edge("boom", "out")],
  };
  const flowId = await createFlow(api, workspaceId, "Axe flow", failing);
  const executionId = await execute(api, workspaceId, flowId, {});

  await page.goto(`/w/${workspaceId}/flows`);
  await expect(page.getByRole("heading", { name: "Flows" })).toBeVisible();
  await expectNoSeriousViolations(page, testInfo, "flows");

  await page.goto(`/w/${workspaceId}/executions/${executionId}`);
  await expect(page.getByTestId("execution-status")).toHaveAttribute("data-status", "failed", { timeout: 20_000 });
  await expectNoSeriousViolations(page, testInfo, "execution");

  await page.goto(`/w/${workspaceId}/executions`);
  await expect(page.getByTestId("execution-row")).toHaveCount(1);
  await expectNoSeriousViolations(page, testInfo, "executions");
  await page.getByRole("button", { name: "Board", exact: true }).click();
  await expect(page.getByTestId("board-column")).toHaveCount(1);
  await expectNoSeriousViolations(page, testInfo, "executions-board");

  await page.goto(`/w/${workspaceId}/settings`);
  await expectNoSeriousViolations(page, testInfo, "settings");
  await snapshot(page, testInfo, "settings");

  // The Blocks placeholder is out of the navigation until the block library lands.
  await expect(page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Blocks" })).toHaveCount(0);
  await api.dispose();
});

test("/favicon.ico is served", async ({ request }) => {
  const icon = await request.get("/favicon.ico");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toMatch(/image/);
});
