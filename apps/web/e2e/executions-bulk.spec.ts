import { expect, test } from "@playwright/test";
import { createFlow, edge, execute, inWorkspace, node, signedInOwner, snapshot, waitForStatus } from "./support";

// Issue 12, problem 11: the executions list's compact filter bar (the date range on one line), an
// error snippet per failed run, columns that fit at 1024 px, and bulk retry / cancel / delete with a
// confirmation (deleting a run still going is refused and nothing is deleted).

const okGraph = { nodes: [node("in", "source"), node("out", "sink")], edges: [edge("in", "out")] };
const failingGraph = {
  nodes: [node("in", "source"), node("boom", "function", { code: "throw new Error('ledger locked')" }), node("out", "sink")],
  edges: [edge("in", "boom"), edge("boom", "out")],
};
const slowGraph = { nodes: [node("in", "source"), node("wait", "delay", { ms: 120_000 }), node("out", "sink")], edges: [edge("in", "wait"), edge("wait", "out")] };

test.use({ viewport: { width: 1024, height: 800 } });

test("bulk actions with confirmation, error snippets, a one-line date filter and columns that fit at 1024 px", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Bea Bulk");
  const headers = inWorkspace(workspaceId);
  const ok = await createFlow(api, workspaceId, "Nightly export", okGraph);
  const failing = await createFlow(api, workspaceId, "Ledger sync", failingGraph);
  const slow = await createFlow(api, workspaceId, "Long wait", slowGraph);
  const done = await execute(api, workspaceId, ok, {});
  const failed = await execute(api, workspaceId, failing, {});
  const running = await execute(api, workspaceId, slow, {});
  await waitForStatus(api, workspaceId, done, "completed");
  await waitForStatus(api, workspaceId, failed, "failed");
  await waitForStatus(api, workspaceId, running, "running");

  await page.goto(`/w/${workspaceId}/executions`);
  const row = (id: string) => page.locator(`[data-testid="execution-row"][data-execution-id="${id}"]`);
  await expect(page.getByTestId("execution-row")).toHaveCount(3);
  await expect(row(failed).getByTestId("execution-error-snippet")).toContainText("ledger locked");

  // The date range stays on one line; the metric columns are inside the page at 1024 px.
  const [from, to] = [await page.getByLabel("From").boundingBox(), await page.getByLabel("To").boundingBox()];
  expect(Math.abs(from!.y - to!.y)).toBeLessThan(4);
  const table = page.getByTestId("executions-table");
  const viewport = page.viewportSize()!;
  for (const name of ["Active time", "Cost", "Error"]) {
    const box = (await table.getByRole("columnheader", { name }).boundingBox())!;
    expect(box.x + box.width, name).toBeLessThanOrEqual(viewport.width);
  }
  expect(await table.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
  await snapshot(page, testInfo, "executions-list-1024");

  // Delete the ended one and the running one: refused (409), nothing deleted.
  await row(done).getByRole("checkbox").check();
  await row(running).getByRole("checkbox").check();
  await expect(page.getByTestId("bulk-count")).toHaveText("2 selected");
  await page.getByTestId("bulk-actions").getByRole("button", { name: "Delete" }).click();
  const confirmDelete = page.getByRole("dialog", { name: "Delete 2 runs?" });
  await confirmDelete.getByRole("button", { name: "Delete runs" }).click();
  await expect(confirmDelete).toContainText("Cannot delete runs that have not ended");
  await expect(confirmDelete).toContainText(running.slice(0, 8));
  await snapshot(page, testInfo, "bulk-delete-refused");
  await confirmDelete.getByRole("button", { name: "Cancel", exact: true }).click();
  await expect(page.getByTestId("execution-row")).toHaveCount(3);

  // Cancel them: the running one is cancelled, the ended one skipped.
  await page.getByTestId("bulk-actions").getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("dialog", { name: "Cancel 2 runs?" }).getByRole("button", { name: "Cancel runs" }).click();
  await expect(page.getByTestId("bulk-result")).toHaveText("Cancelled 1 run; 1 skipped (already ended).");
  await expect(row(running)).toHaveAttribute("data-status", "cancelled", { timeout: 20_000 });

  // Retry the failed one: a new run appears.
  await row(failed).getByRole("checkbox").check();
  await page.getByTestId("bulk-actions").getByRole("button", { name: "Retry" }).click();
  await page.getByRole("dialog", { name: "Retry 1 run?" }).getByRole("button", { name: "Retry" }).click();
  await expect(page.getByTestId("bulk-result")).toHaveText("Retried 1 run.");
  await expect(page.getByTestId("execution-row")).toHaveCount(4);

  // Delete every ended run shown (all of them now): after the confirmation they are gone.
  await expect.poll(async () => (await page.getByTestId("execution-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-status")))).every((s) => s === "completed" || s === "failed" || s === "cancelled"), { timeout: 20_000 }).toBe(true);
  await page.getByRole("checkbox", { name: "Select all shown runs" }).check();
  await page.getByTestId("bulk-actions").getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog", { name: "Delete 4 runs?" }).getByRole("button", { name: "Delete runs" }).click();
  await expect(page.getByTestId("bulk-result")).toHaveText("Deleted 4 runs.");
  await expect(page.getByTestId("execution-row")).toHaveCount(0);
  expect((await api.get(`/api/v1/executions/${done}`, { headers })).status()).toBe(404);
  await api.dispose();
});
