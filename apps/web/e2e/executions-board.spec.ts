import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { at, createFlow, edge, execute, inWorkspace, node, signedInOwner, snapshot, waitForStatus } from "./support";

// The executions list's filters, search and board: runs of several flows (completed, failed, one
// still running), narrowed by status, flow, search and dates with the state in the URL; the board
// with a column per status and, for flows whose nodes carry a phase, a column per phase; a running
// card that moves to its final column by itself.

/** The nodes one after the other. */
const chain = (...nodes: ReturnType<typeof node>[]) => ({ nodes, edges: nodes.slice(1).map((n, i) => edge(nodes[i]!.id, n.id)) });
const phased = (id: string, type: string, config: Record<string, unknown>, phase: string) => node(id, type, config, at(0, 0), { phase });

const okGraph = chain(node("in", "source"), node("calc", "function", { code: "return { doubled: (input.n ?? 1) * 2 };" }), node("out", "sink"));
const failingGraph = chain(node("in", "source"), node("boom", "function", { code: "throw new Error('import failed')" }), node("out", "sink"));
/** Intake -> Review (a delay of `ms`) -> Ship. */
const phasedGraph = (ms: number) =>
  chain(phased("in", "source", {}, "Intake"), phased("wait", "delay", { ms }, "Review"), phased("out", "sink", {}, "Ship"));

async function run(api: APIRequestContext, workspaceId: string, flowId: string, until: string) {
  const executionId = await execute(api, workspaceId, flowId, {});
  await waitForStatus(api, workspaceId, executionId, until);
  return executionId;
}

const rows = (page: Page) => page.getByTestId("execution-row");
const column = (page: Page, key: string) => page.locator(`[data-testid="board-column"][data-column="${key}"]`);
const columnKeys = (page: Page) => page.getByTestId("board-column").evaluateAll((els) => els.map((el) => el.getAttribute("data-column")));
const cards = (page: Page, key: string) => column(page, key).getByTestId("execution-card");

test("filters, search and the board (by status, by phase) with the state in the URL", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Bo Board");

  const reports = await createFlow(api, workspaceId, "Alpha reports", okGraph);
  const imports = await createFlow(api, workspaceId, "Beta imports", failingGraph);
  const pipeline = await createFlow(api, workspaceId, "Gamma pipeline", phasedGraph(0));
  const review = await createFlow(api, workspaceId, "Delta review", phasedGraph(60_000));
  const [alpha1, alpha2] = [await run(api, workspaceId, reports, "completed"), await run(api, workspaceId, reports, "completed")];
  const beta = await run(api, workspaceId, imports, "failed");
  const gamma = await run(api, workspaceId, pipeline, "completed");
  const delta = await run(api, workspaceId, review, "running");
  // The running run has reached its delay node.
  await expect
    .poll(async () => {
      const detail = await api.get(`/api/v1/executions/${delta}`, { headers: inWorkspace(workspaceId) });
      return ((await detail.json()) as { blocks: Array<{ nodeId: string; status: string }> }).blocks.find((b) => b.nodeId === "wait")?.status;
    })
    .toBe("running");

  await page.goto(`/w/${workspaceId}/executions`);
  await expect(rows(page)).toHaveCount(5);
  // The running run shows the node it is at and that node's phase.
  const deltaRow = page.locator(`[data-testid="execution-row"][data-execution-id="${delta}"]`);
  await expect(deltaRow).toHaveAttribute("data-status", "running");
  await expect(deltaRow).toContainText("wait");
  await expect(deltaRow).toContainText("Review");

  // Status: only the failed run; the filter is in the URL and survives a reload.
  await page.getByLabel("Status").selectOption("failed");
  await expect(page).toHaveURL(/[?&]status=failed/);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toHaveAttribute("data-execution-id", beta);
  await page.reload();
  await expect(page.getByLabel("Status")).toHaveValue("failed");
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("Beta imports");

  // Flow (with status cleared): the two Alpha runs, newest first.
  await page.getByLabel("Status").selectOption("");
  await page.getByLabel("Flow").selectOption({ label: "Alpha reports" });
  await expect(page).toHaveURL(new RegExp(`[?&]flow=${reports}`));
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).nth(0)).toHaveAttribute("data-execution-id", alpha2);
  await expect(rows(page).nth(1)).toHaveAttribute("data-execution-id", alpha1);
  // Flow and status together: no completed Alpha run failed.
  await page.getByLabel("Status").selectOption("failed");
  await expect(page.getByRole("heading", { name: "No matching executions" })).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(rows(page)).toHaveCount(5);
  await expect(page).not.toHaveURL(/status=|flow=/);

  // Search by flow name (case-insensitive) and by execution id prefix.
  await page.getByLabel("Search").fill("GAMMA");
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toHaveAttribute("data-execution-id", gamma);
  await expect(page).toHaveURL(/[?&]q=GAMMA/);
  await page.getByLabel("Search").fill(alpha1.slice(0, 8));
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toHaveAttribute("data-execution-id", alpha1);
  await page.getByLabel("Search").fill("");
  await expect(rows(page)).toHaveCount(5);

  // Dates: nothing was created in 2099; everything since 2000.
  await page.getByLabel("From").fill("2099-01-01");
  await expect(page.getByRole("heading", { name: "No matching executions" })).toBeVisible();
  await page.getByLabel("From").fill("2000-01-01");
  await expect(rows(page)).toHaveCount(5);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await snapshot(page, testInfo, "executions-list-filters");

  // The board, by status: a column per status that has runs (empty ones take no space); each run
  // sits in its own, and the card does not repeat the column's status.
  await page.getByRole("button", { name: "Board", exact: true }).click();
  await expect(page).toHaveURL(/[?&]view=board/);
  await expect(page.getByRole("button", { name: "Board", exact: true })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("board-column")).toHaveCount(3);
  await expect.poll(() => columnKeys(page)).toEqual(["running", "completed", "failed"]);
  await expect(cards(page, "completed").first().locator("[data-status]")).toHaveCount(0);
  await expect(cards(page, "failed").first().getByTestId("execution-error-snippet")).toBeVisible();
  await expect(cards(page, "completed")).toHaveCount(3);
  await expect(cards(page, "failed")).toHaveCount(1);
  await expect(cards(page, "failed").first()).toHaveAttribute("data-execution-id", beta);
  await expect(cards(page, "running")).toHaveCount(1);
  await expect(cards(page, "running").first()).toHaveAttribute("data-execution-id", delta);
  await expect(column(page, "paused")).toHaveCount(0);
  await snapshot(page, testInfo, "executions-board-status");

  // By phase: a column per phase of the phased flows, in graph order, and one for runs without one.
  await page.getByLabel("Group by").selectOption("phase");
  await expect(page).toHaveURL(/[?&]group=phase/);
  await expect.poll(() => columnKeys(page)).toEqual(["Intake", "Review", "Ship", ""]);
  await expect(column(page, "")).toContainText("No phase");
  await expect(cards(page, "Intake")).toHaveCount(0);
  await expect(cards(page, "Review")).toHaveCount(1);
  await expect(cards(page, "Review").first()).toHaveAttribute("data-execution-id", delta);
  await expect(cards(page, "Ship")).toHaveCount(1);
  await expect(cards(page, "Ship").first()).toHaveAttribute("data-execution-id", gamma);
  await expect(cards(page, "")).toHaveCount(3);
  await snapshot(page, testInfo, "executions-board-phase");

  // The board is in the URL too; filters apply to it.
  await page.reload();
  await expect(page.getByLabel("Group by")).toHaveValue("phase");
  await page.getByLabel("Search").fill("delta");
  await expect(page.getByTestId("execution-card")).toHaveCount(1);
  await page.getByLabel("Search").fill("");
  await expect(page.getByTestId("execution-card")).toHaveCount(5);

  // Live: the running run is cancelled elsewhere; its card moves to Cancelled by itself.
  await page.getByLabel("Group by").selectOption("status");
  await expect(cards(page, "running")).toHaveCount(1);
  const cancelled = await api.post(`/api/v1/executions/${delta}/cancel`, { headers: inWorkspace(workspaceId) });
  expect(cancelled.status(), await cancelled.text()).toBe(200);
  await expect(cards(page, "cancelled")).toHaveCount(1);
  await expect(cards(page, "cancelled").first()).toHaveAttribute("data-execution-id", delta);
  await expect(cards(page, "running")).toHaveCount(0);
  await api.dispose();
});
