import { expect, test } from "@playwright/test";
import { at, createFlow, edge, execute, inWorkspace, node, signedInOwner, snapshot, waitForStatus } from "./support";

// A run as a shared workspace (issue 17): comment on a step (markdown rendered, a script payload
// inert), upload a file by the picker and download it back, rename the run, and re-run from the
// middle of a failed run after fixing the flow: the step before it is reused, not run again.

/** source -> prepare (function) -> check (fails until fixed) -> out; steps are named by their labels. */
const graph = (checkCode: string) => ({
  nodes: [
    node("in", "source"),
    node("prepare", "function", { code: "return { value: 21 };" }, at(0, 0), { label: "Prepare value" }),
    node("check", "function", { code: checkCode }, at(0, 0), { label: "Check value" }),
    node("out", "sink"),
  ],
  edges: [edge("in", "prepare"), edge("prepare", "check"), edge("check", "out")],
});

test("comment on a step, upload and download a file, rename, and re-run from the failed step after fixing it", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Collab E2E");
  const flowId = await createFlow(api, workspaceId, "Collab flow", graph("throw new Error('value too big: ' + input.value)"));
  const executionId = await execute(api, workspaceId, flowId, {});
  await waitForStatus(api, workspaceId, executionId, "failed");

  await page.goto(`/w/${workspaceId}/executions/${executionId}`);
  const panel = page.getByTestId("run-collab");
  await expect(panel).toBeVisible();

  // Comment on the failing step: markdown rendered, the script tag gone.
  await panel.getByLabel("Comment on").selectOption("check");
  await panel.getByLabel("New comment").fill("The **limit** is wrong here <script>window.__xss = 1</script>");
  await panel.getByRole("button", { name: "Comment" }).click();
  const comment = panel.getByTestId("comment").first();
  await expect(comment.locator("strong")).toHaveText("limit");
  await expect(comment).toContainText("step: Check value");
  expect(await comment.locator("script").count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

  // Upload a file with the picker onto the run, preview it, download it back.
  await panel.getByRole("tab", { name: "Files" }).click();
  await panel.getByLabel("Upload files").setInputFiles({ name: "report.json", mimeType: "application/json", buffer: Buffer.from('{"ok":true}') });
  const file = panel.getByTestId("artifact").first();
  await expect(file).toContainText("report.json");
  await file.getByRole("button", { name: "Preview" }).click();
  await expect(panel.getByTestId("artifact-preview")).toHaveText('{"ok":true}');
  const [download] = await Promise.all([page.waitForEvent("download"), file.getByRole("link", { name: "report.json" }).click()]);
  expect(download.suggestedFilename()).toBe("report.json");
  const path = await download.path();
  expect((await import("node:fs")).readFileSync(path, "utf8")).toBe('{"ok":true}');
  // A file past 10 MB arrives whole (uploads bypass the Next proxy, which would truncate it).
  const big = Buffer.alloc(11 * 1024 * 1024, 0x62);
  const bigUpload = await api.post(`/api/v1/executions/${executionId}/artifacts`, {
    headers: { ...inWorkspace(workspaceId), "content-type": "application/octet-stream", "x-filename": "big.bin" },
    data: big,
  });
  expect(bigUpload.status(), await bigUpload.text()).toBe(201);
  expect(((await bigUpload.json()) as { sizeBytes: number }).sizeBytes).toBe(big.length);

  // Rename the run.
  await panel.getByRole("button", { name: "Rename" }).click();
  await panel.getByLabel("Run name").fill("limit investigation");
  await panel.getByLabel("Tags").fill("bug, eu");
  await panel.getByRole("button", { name: "Save" }).click();
  await expect(panel.getByTestId("run-name")).toHaveText("limit investigation");
  await snapshot(page, testInfo, "run-collab-failed-run");

  // Fix the flow, then re-run from the failed step on the draft.
  const fixed = await api.put(`/api/v1/flows/${flowId}`, {
    headers: inWorkspace(workspaceId),
    data: { ...graph("return { checked: input.value * 2 };"), version: 1 },
  });
  expect(fixed.status(), await fixed.text()).toBe(200);
  await panel.getByRole("tab", { name: "Step logs" }).click();
  const checkRow = panel.locator('[data-testid="step-row"][data-node-id="check"]');
  await checkRow.getByRole("button", { name: "Re-run from here" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Re-run" }).click();
  await page.waitForURL((url) => url.pathname.startsWith(`/w/${workspaceId}/executions/`) && !url.pathname.endsWith(executionId));
  const newId = page.url().split("/").pop()!;
  await waitForStatus(api, workspaceId, newId, "completed");
  await page.reload();
  const newPanel = page.getByTestId("run-collab");
  await expect(newPanel.getByTestId("run-name")).toHaveText("limit investigation");
  await newPanel.getByRole("tab", { name: "Step logs" }).click();
  const prepare = newPanel.locator('[data-testid="step-row"][data-node-id="prepare"]');
  await expect(prepare).toContainText("reused");
  await expect(newPanel.locator('[data-testid="step-row"][data-node-id="check"]')).not.toContainText("reused");
  await newPanel.locator('[data-testid="step-row"][data-node-id="check"]').getByRole("button", { name: "Check value" }).click();
  await newPanel.getByRole("tab", { name: "output" }).click();
  await expect(newPanel.getByTestId("step-log")).toContainText('"checked": 42');
  // The reused step did not run again: no node_start for it in the new run's events.
  const events = (await (await api.get(`/api/v1/executions/${newId}/events`, { headers: inWorkspace(workspaceId) })).json()) as {
    events: Array<{ type: string; data: { nodeId?: string; reused?: boolean } }>;
  };
  expect(events.events.filter((e) => e.type === "node_start").map((e) => e.data.nodeId)).toEqual(["check", "out"]);
  expect(events.events.some((e) => e.type === "node_complete" && e.data.nodeId === "prepare" && e.data.reused)).toBe(true);
  await snapshot(page, testInfo, "run-collab-rerun");
});
