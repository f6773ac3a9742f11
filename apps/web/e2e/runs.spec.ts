import { expect, test } from "@playwright/test";
import { canvasNode } from "./builder";
import { at, createFlow, edge, execute, inWorkspace, node, signedInOwner, snapshot, storedFlow, waitForStatus } from "./support";

// Issue 12, run pages (problems 9 and 12): a failure names its block by label, gives a hint and opens
// the builder with that block selected; a connection error names the connection and its host; the
// page links to its flow; the failed attempt stays listed after a fix-and-continue (the re-run is
// attempt 2); an approval reads "Waiting for approval", its question before the form, and the time
// spent waiting is not counted in the active time that header and live bar both show.

const labelled = (id: string, type: string, label: string, config: Record<string, unknown> = {}, x = 0) => node(id, type, config, at(x, 0), { label });

test("a failed run names its block, hints at the fix, opens the builder at it; after the fix the re-run is attempt 2", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Fay Failure");
  const graph = {
    nodes: [labelled("in", "source", "Start"), labelled("tax", "function", "Compute tax", { code: "throw new Error('rate table missing')" }, 300), labelled("out", "sink", "End", {}, 600)],
    edges: [edge("in", "tax"), edge("tax", "out")],
  };
  const flowId = await createFlow(api, workspaceId, "Invoices", graph);
  const executionId = await execute(api, workspaceId, flowId, {});
  await waitForStatus(api, workspaceId, executionId, "failed");

  await page.goto(`/w/${workspaceId}/executions/${executionId}`);
  const failure = page.getByTestId("execution-failure");
  await expect(page.getByRole("alert").filter({ hasText: "Run failed at “Compute tax”" })).toBeVisible();
  // The sandbox adds the line the error was thrown at.
  await expect(failure.getByTestId("execution-error")).toHaveText("rate table missing (line 1)");
  await expect(failure.getByTestId("execution-error-hint")).toContainText("open the block and fix its code");
  const card = page.locator('[data-testid="node-card"][data-node-id="tax"]');
  await expect(card).toContainText("Compute tax");
  await expect(page.getByTestId("open-flow")).toHaveAttribute("href", `/w/${workspaceId}/flows/${flowId}`);
  await snapshot(page, testInfo, "run-failure-named");

  // Open in builder: the failed block is selected there.
  await failure.getByTestId("open-in-builder").click();
  await expect(page).toHaveURL(new RegExp(`/w/${workspaceId}/flows/${flowId}\\?node=tax$`));
  await expect(canvasNode(page, "tax")).toHaveClass(/selected/);
  await snapshot(page, testInfo, "builder-node-selected");

  // Fix the draft, continue from the failed node: attempt 2, and attempt 1 is still listed.
  const fixed = { ...graph, nodes: graph.nodes.map((n) => (n.id === "tax" ? labelled("tax", "function", "Compute tax", { code: "return { tax: 19 };" }, 300) : n)) };
  const current = await storedFlow(api, workspaceId, flowId);
  const saved = await api.put(`/api/v1/flows/${flowId}`, { headers: inWorkspace(workspaceId), data: { version: current.version, ...fixed } });
  expect(saved.status(), await saved.text()).toBe(200);
  await page.goto(`/w/${workspaceId}/executions/${executionId}`);
  await page.getByRole("button", { name: "Resume from failed node" }).click();
  await expect(page.getByTestId("execution-status")).toHaveAttribute("data-status", "completed", { timeout: 20_000 });
  await expect(card).toHaveAttribute("data-status", "completed");
  await expect(card.getByTestId("node-attempt")).toHaveText("attempt 2");
  await expect(card.getByTestId("node-attempts")).toContainText("Attempt 1 failed (USER_ERROR): rate table missing");
  await expect(page.getByTestId("execution-failure")).toHaveCount(0);
  await snapshot(page, testInfo, "run-attempts-after-resume");
  await api.dispose();
});

test("a connection error names the connection and its host", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Carl Connection");
  const created = await api.post("/api/v1/connections", {
    headers: inWorkspace(workspaceId),
    data: { name: "Local llama", provider: "openai_compatible", apiKey: "sk-test-not-real", baseUrl: "http://127.0.0.1:1/v1" },
  });
  expect(created.status(), await created.text()).toBe(201);
  const connectionId = ((await created.json()) as { connection: { id: string } }).connection.id;
  const graph = {
    nodes: [labelled("in", "source", "Start"), labelled("ask", "ai", "Summarise", { connectionId, model: "llama3", prompt: "Hi" }, 300), labelled("out", "sink", "End", {}, 600)],
    edges: [edge("in", "ask"), edge("ask", "out")],
  };
  const flowId = await createFlow(api, workspaceId, "Summaries", graph);
  const executionId = await execute(api, workspaceId, flowId, {});
  await waitForStatus(api, workspaceId, executionId, "failed");
  await page.goto(`/w/${workspaceId}/executions/${executionId}`);
  await expect(page.getByTestId("execution-error")).toContainText('Connection "Local llama" (127.0.0.1:1)');
  await expect(page.getByRole("alert").filter({ hasText: "Run failed at “Summarise”" })).toBeVisible();
  await snapshot(page, testInfo, "run-connection-error");
  await api.dispose();
});

test("an approval waits as 'Waiting for approval', question first; the wait is not counted in the active time", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Ada Approval");
  const graph = {
    nodes: [labelled("in", "source", "Start"), labelled("ok", "approval", "Manager sign-off", { message: "Ship release 2.4 to production?" }, 300), labelled("out", "sink", "End", {}, 600)],
    edges: [edge("in", "ok"), edge("ok", "out")],
  };
  const flowId = await createFlow(api, workspaceId, "Release", graph);
  const startedAt = Date.now();
  const executionId = await execute(api, workspaceId, flowId, {});
  await waitForStatus(api, workspaceId, executionId, "paused");

  await page.goto(`/w/${workspaceId}/executions/${executionId}`);
  const status = page.getByTestId("execution-status");
  await expect(status).toHaveText("Waiting for approval");
  const question = page.getByTestId("approval-question");
  await expect(question).toHaveText("Ship release 2.4 to production?");
  const form = page.getByRole("form", { name: "Approval" });
  // The question comes before the form that answers it.
  expect(((await question.boundingBox())!.y)).toBeLessThan((await form.boundingBox())!.y);
  await snapshot(page, testInfo, "run-waiting-for-approval");

  // The list says the same.
  await page.goto(`/w/${workspaceId}/executions`);
  await expect(page.locator(`[data-testid="execution-row"][data-execution-id="${executionId}"]`)).toContainText("Waiting for approval");

  // Wait a little, then approve: the header and the live bar show the same active time, and the wait
  // beside it, not in it.
  await page.waitForTimeout(2_500);
  await page.goto(`/w/${workspaceId}/executions/${executionId}`);
  await page.getByRole("form", { name: "Approval" }).getByRole("button", { name: "Approve" }).click();
  await expect(status).toHaveAttribute("data-status", "completed", { timeout: 20_000 });
  const header = page.getByTestId("execution-active-time");
  const bar = page.getByTestId("live-elapsed");
  // The stored run after the approval: a closed pause of at least the 2.5 s we waited.
  await expect.poll(async () => Number(await header.getAttribute("data-waited-ms")), { timeout: 20_000 }).toBeGreaterThanOrEqual(2_500);
  await expect.poll(async () => (await header.getAttribute("data-active-ms")) === (await bar.getAttribute("data-active-ms"))).toBe(true);
  const endedAt = Date.now();
  const activeMs = Number(await header.getAttribute("data-active-ms"));
  const waitedMs = Number(await header.getAttribute("data-waited-ms"));
  // We waited at least 2.5 s before approving: that is paused time, and active + paused is within the
  // wall-clock time of the whole test step, so the wait is not in the active time.
  expect(waitedMs).toBeGreaterThanOrEqual(2_500);
  expect(activeMs + waitedMs).toBeLessThanOrEqual(endedAt - startedAt + 1_000);
  await expect(page.getByTestId("execution-active-time-waited")).toContainText("waiting, not counted");
  await expect(page.getByTestId("execution-cost")).toHaveText(await page.getByTestId("live-cost").innerText());
  await snapshot(page, testInfo, "run-active-time");
  await api.dispose();
});
