import { expect, test, type APIRequestContext } from "@playwright/test";
import { createFlow, edge, execute, inWorkspace, node, signedInOwner, snapshot, waitForStatus } from "./support";

// Decisions, feedback, patterns and analytics in the browser: feedback from the timeline and from the
// keyboard-driven queue, accuracy moving on the analytics page, a suggestion accepted and evaluated,
// and a failure group's sample run opened.

const regionGraph = {
  nodes: [
    node("in", "source", {}, { x: 0, y: 0 }),
    node("region", "router", { routes: [{ handle: "eu", when: "input.country === 'FR'" }], default: "us" }, { x: 250, y: 0 }),
    node("out", "sink", {}, { x: 500, y: 0 }),
  ],
  edges: [edge("in", "region"), edge("region", "out", "eu"), edge("region", "out", "us")],
};
const failingGraph = {
  nodes: [node("in", "source"), node("charge", "function", { code: "throw new Error('card ' + input.card + ' declined')" }, { x: 250, y: 0 }), node("out", "sink", {}, { x: 500, y: 0 })],
  edges: [edge("in", "charge"), edge("charge", "out")],
};

async function decisionsOf(api: APIRequestContext, workspaceId: string, flowId: string) {
  const answer = await api.get(`/api/v1/decisions?flowId=${flowId}&feedback=none`, { headers: inWorkspace(workspaceId) });
  return ((await answer.json()) as { items: Array<{ id: string; executionId: string }> }).items;
}

test("feedback from the timeline and the queue moves the accuracy chart; a suggestion becomes an evaluated pattern", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Dee Decider");
  const flowId = await createFlow(api, workspaceId, "Regions", regionGraph);
  const runs = [];
  for (const country of ["US", "US", "FR"]) runs.push(await execute(api, workspaceId, flowId, { country, vip: true }));
  for (const id of runs) await waitForStatus(api, workspaceId, id);

  // Timeline: the router step has a feedback control.
  await page.goto(`/w/${workspaceId}/executions/${runs[0]}`);
  const control = page.locator('[data-testid="step-feedback"][data-node-id="region"]');
  await control.locator("summary").click();
  await control.getByText("Incorrect", { exact: true }).click();
  await control.getByPlaceholder("Add a category").fill("wrong-region");
  await control.getByPlaceholder("Add a category").press("Enter");
  await control.getByLabel("Corrected output (text or JSON)").fill("eu");
  await control.getByRole("button", { name: "Save feedback" }).click();
  await expect(control.getByTestId("feedback-by")).toContainText("incorrect by Dee Decider");
  await snapshot(page, testInfo, "timeline-feedback");

  // Analytics: one judged decision, 0% accurate.
  await page.goto(`/w/${workspaceId}/analytics?flow=${flowId}`);
  const totals = page.getByTestId("accuracy-totals").locator('[data-node-id="region"]');
  await expect(totals).toContainText("0% (1 feedback)");

  // Queue: j selects, 1 marks correct (saved at once); t jumps to the tags.
  await page.goto(`/w/${workspaceId}/decisions?flow=${flowId}`);
  await expect(page.getByTestId("decision-row")).toHaveCount(2);
  await page.locator("body").press("j");
  await page.locator("body").press("k");
  await page.locator("body").press("1");
  await expect(page.getByTestId("decision-row")).toHaveCount(1); // the judged one left the "to review" list
  await page.locator("body").press("t");
  await expect(page.getByPlaceholder("Add a category")).toBeFocused();
  await snapshot(page, testInfo, "queue");

  // The chart moved: 1 correct, 1 incorrect.
  await page.goto(`/w/${workspaceId}/analytics?flow=${flowId}`);
  await expect(totals).toContainText("50% (2 feedback)");
  await expect(page.getByTestId("accuracy-chart").locator(".recharts-line")).toHaveCount(1);
  await snapshot(page, testInfo, "analytics");

  // Two more incorrect US decisions tagged alike make a suggestion.
  for (const country of ["US", "US"]) await waitForStatus(api, workspaceId, await execute(api, workspaceId, flowId, { country, vip: true }));
  const open = await decisionsOf(api, workspaceId, flowId);
  for (const d of open.slice(0, 2)) {
    const put = await api.put(`/api/v1/decisions/${d.id}/feedback`, { headers: inWorkspace(workspaceId), data: { verdict: "incorrect", categories: ["wrong-region"], correctedOutput: "eu" } });
    expect(put.status(), await put.text()).toBe(200);
  }
  await page.goto(`/w/${workspaceId}/patterns`);
  const suggestion = page.getByTestId("suggestion").filter({ hasText: 'input["country"] === "US"' });
  await expect(suggestion).toContainText("3 decisions");
  await suggestion.getByRole("button", { name: "Accept" }).click();
  const pattern = page.getByTestId("pattern").first();
  await expect(pattern).toContainText('input["country"] === "US"');
  await pattern.getByRole("button", { name: "Evaluate" }).click();
  await expect(pattern.getByTestId("evaluation")).toContainText("Matched 4 of 5 decisions; 0 right, 4 wrong");
  await snapshot(page, testInfo, "patterns");
});

test("a failure group on the analytics page links to its sample runs", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Fay Failure");
  const flowId = await createFlow(api, workspaceId, "Payments", failingGraph);
  const first = await execute(api, workspaceId, flowId, { card: 4242 });
  const second = await execute(api, workspaceId, flowId, { card: 1111 });
  await waitForStatus(api, workspaceId, first);
  await waitForStatus(api, workspaceId, second);
  await page.goto(`/w/${workspaceId}/analytics`);
  const group = page.getByTestId("failure-group");
  await expect(group).toHaveCount(1);
  await expect(group).toContainText("card <n> declined");
  await expect(group.getByRole("cell", { name: "2", exact: true })).toBeVisible();
  await snapshot(page, testInfo, "failures");
  await group.getByRole("link", { name: second.slice(0, 8) }).click();
  await expect(page).toHaveURL(new RegExp(`/executions/${second}`));
  await expect(page.getByRole("heading", { name: "Payments" })).toBeVisible();
});
