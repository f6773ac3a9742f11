import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { canvasNode, inspector, liveNode, openBuilder, palette as blocksPalette, saveStatus, shot } from "./builder";
import { at, createFlow, edge, execution, inWorkspace, node, signedInOwner, snapshot, storedFlow } from "./support";

// The builder at n8n level (issue 12, builder half): a full-bleed canvas with a right-hand inspector,
// a searchable palette, "+" on outputs and quick add, node menus, an editable title, a problems
// panel that does not move the canvas, the builder's Run running the draft (also after a publish)
// with the last input remembered, the Output tab of a node during and after a run, and trigger
// badges on the Start block. Each with screenshots; axe on the builder.

test.use({ viewport: { width: 1440, height: 900 } });

const doubler = (code = "return { n: input.n * 2 };") => ({
  nodes: [
    node("in", "source", { inputSchema: { type: "object", required: ["n"], properties: { n: { type: "integer" } } } }, at(0, 0)),
    node("calc", "function", { code }, at(320, 0)),
    node("out", "sink", {}, at(640, 0)),
  ],
  edges: [edge("in", "calc"), edge("calc", "out")],
});

test("full-bleed layout: the canvas is >= 1,100 px at 1440x900 and >= 600 px at 1024 with the inspector closed; the inspector opens on a block", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Lena Layout");
  const flowId = await createFlow(api, workspaceId, "Layout", doubler());

  await openBuilder(page, workspaceId, flowId, 3);
  const canvas = page.getByTestId("canvas");
  await expect(page.getByTestId("inspector")).toHaveCount(0);
  expect((await canvas.boundingBox())!.width).toBeGreaterThanOrEqual(1100);
  // The app sidebar is an icon rail: its links keep their names for screen readers.
  const sidebar = page.getByRole("navigation", { name: "Workspace" });
  expect((await sidebar.boundingBox())!.width).toBeLessThanOrEqual(64);
  await expect(sidebar.getByRole("link", { name: "Executions" })).toBeVisible();
  // Fit to view on open: every block is inside the canvas.
  const box = (await canvas.boundingBox())!;
  for (const id of ["in", "calc", "out"]) {
    const b = (await canvasNode(page, id).boundingBox())!;
    expect(b.x).toBeGreaterThanOrEqual(box.x);
    expect(b.x + b.width).toBeLessThanOrEqual(box.x + box.width);
  }
  await shot(page, testInfo, "builder-1440");

  // A block opens the inspector with its tabs; Escape closes it (nothing selected).
  await canvasNode(page, "calc").click();
  await expect(inspector(page)).toBeVisible();
  await expect(inspector(page).getByRole("tab", { name: "Config" })).toHaveAttribute("aria-selected", "true");
  await expect(inspector(page).getByRole("tab", { name: "Output" })).toBeVisible();
  await expect(inspector(page).getByTestId("inspector").or(inspector(page))).toContainText("calc");
  await shot(page, testInfo, "builder-1440-inspector");
  await inspector(page).getByRole("button", { name: "Close the inspector" }).click();
  await expect(page.getByTestId("inspector")).toHaveCount(0);

  // The minimap is small and can be hidden (remembered).
  const minimap = page.locator(".react-flow__minimap");
  await expect(minimap).toBeVisible();
  expect((await minimap.boundingBox())!.width).toBeLessThanOrEqual(200);
  await page.getByRole("button", { name: "Hide the minimap" }).click();
  await expect(minimap).toHaveCount(0);

  await page.setViewportSize({ width: 1024, height: 768 });
  await page.reload();
  await expect(page.locator(".react-flow__node")).toHaveCount(3);
  await expect(minimap).toHaveCount(0);
  expect((await canvas.boundingBox())!.width).toBeGreaterThanOrEqual(600);
  await shot(page, testInfo, "builder-1024");
  await api.dispose();
});

test("palette search, '+' on an output, quick add with '/', node menu and toolbar: blocks are added connected and never overlap", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Paul Palette");
  const flowId = await createFlow(api, workspaceId, "Palette", doubler());
  await openBuilder(page, workspaceId, flowId, 3);

  // The palette: categories, descriptions, no Start or End; search filters.
  const palette = blocksPalette(page);
  await expect(palette.getByRole("heading", { name: "Logic" })).toBeVisible();
  await expect(palette.getByRole("button", { name: /^Start/ })).toHaveCount(0);
  await expect(palette.getByRole("button", { name: /^End/ })).toHaveCount(0);
  await expect(palette.getByRole("button", { name: /HTTP request.*Calls a URL/ })).toBeVisible();
  await palette.getByRole("searchbox", { name: "Search blocks" }).fill("url");
  await expect(palette.getByRole("button")).toHaveCount(1);
  await shot(page, testInfo, "palette-search");
  await palette.getByRole("searchbox", { name: "Search blocks" }).press("Enter");
  await expect(canvasNode(page, "http_1")).toBeVisible();
  // Its card summarises its settings.
  await expect(page.getByTestId("block-http_1").getByTestId("block-summary")).toHaveText("GET https://example.com");

  // "+" on calc's output: quick add, then a Delay connected from calc, placed clear of "out".
  await page.getByTestId("add-after-calc").click();
  const quick = page.getByRole("dialog", { name: "Add the next block" });
  await quick.getByRole("combobox", { name: "Search blocks" }).fill("delay");
  await quick.getByRole("combobox", { name: "Search blocks" }).press("Enter");
  await expect(canvasNode(page, "delay_1")).toBeVisible();
  await expect(saveStatus(page)).toHaveText("Saved");
  let flow = await storedFlow(api, workspaceId, flowId);
  expect(flow.edges.map((e) => [e.source, e.target])).toContainEqual(["calc", "delay_1"]);
  const overlaps = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.abs(a.x - b.x) < 224 && Math.abs(a.y - b.y) < 96;
  const positions = flow.nodes.map((n) => n.position);
  for (let i = 0; i < positions.length; i++) for (let j = i + 1; j < positions.length; j++) expect(overlaps(positions[i]!, positions[j]!)).toBe(false);

  // "/" on the canvas: quick add without a mouse.
  await page.keyboard.press("Escape");
  await page.getByTestId("canvas").click({ position: { x: 20, y: 20 } });
  await page.keyboard.press("/");
  const add = page.getByRole("dialog", { name: "Add a block" });
  await expect(add).toBeVisible();
  await add.getByRole("combobox", { name: "Search blocks" }).fill("appr");
  await page.keyboard.press("Enter");
  await expect(canvasNode(page, "approval_1")).toBeVisible();

  // The selected block's toolbar duplicates and deletes. (Escape first: the quick add just selected
  // the new approval block and opened its inspector.)
  await page.keyboard.press("Escape");
  await canvasNode(page, "delay_1").click();
  await expect(page.getByRole("button", { name: "Duplicate Delay" })).toBeVisible();
  await page.getByRole("button", { name: "Duplicate Delay" }).click();
  await expect(canvasNode(page, "delay_2")).toBeVisible();
  await page.getByRole("button", { name: "Delete Delay" }).click();
  await expect(canvasNode(page, "delay_2")).toHaveCount(0);

  // Right click: the node menu; and from the keyboard, Shift+F10 on the selected block.
  await canvasNode(page, "approval_1").click({ button: "right" });
  const menu = page.getByRole("menu", { name: "Approval actions" });
  await expect(menu).toBeVisible();
  await shot(page, testInfo, "node-menu");
  await menu.getByRole("menuitem", { name: /Duplicate/ }).click();
  await expect(canvasNode(page, "approval_2")).toBeVisible();
  await canvasNode(page, "approval_2").click();
  await page.keyboard.press("Shift+F10");
  await expect(page.getByRole("menu")).toBeVisible();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("menuitem", { name: /Delete/ })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(canvasNode(page, "approval_2")).toHaveCount(0);

  await expect(saveStatus(page)).toHaveText("Saved");
  flow = await storedFlow(api, workspaceId, flowId);
  expect(flow.nodes.map((n) => n.id).sort()).toEqual(["approval_1", "calc", "delay_1", "http_1", "in", "out"]);
  await api.dispose();
});

test("the flow title is editable and saved; Validate lists problems by block label over the canvas, and a click selects the block and focuses its field", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Vic Validate");
  const broken = doubler();
  broken.nodes[1] = node("calc", "function", { code: "" }, at(320, 0), { label: "Double it" });
  const flowId = await createFlow(api, workspaceId, "Untitled flow", broken);
  await openBuilder(page, workspaceId, flowId, 3);

  const title = page.getByLabel("Flow name");
  await title.fill("Doubler");
  await title.press("Enter");
  await expect(saveStatus(page)).toHaveText("Saved");
  expect((await storedFlow(api, workspaceId, flowId)).name).toBe("Doubler");

  const before = (await page.getByTestId("canvas").boundingBox())!;
  await page.getByRole("button", { name: "Validate" }).click();
  const problems = page.getByTestId("problems-panel");
  await expect(problems).toContainText("1 problem");
  const after = (await page.getByTestId("canvas").boundingBox())!;
  expect(after).toEqual(before);
  // Named by the block's label; a badge on the block, no text inside it.
  await expect(problems.getByTestId("problem").first()).toContainText("Double it");
  await expect(page.getByTestId("problems-badge-calc")).toHaveText("1");
  await shot(page, testInfo, "problems-panel");
  await problems.getByTestId("problem").first().click();
  await expect(canvasNode(page, "calc")).toHaveClass(/selected/);
  await expect(inspector(page)).toBeVisible();
  await expect(inspector(page).locator(".cm-content").first()).toBeFocused();

  await page.reload();
  await expect(page.getByLabel("Flow name")).toHaveValue("Doubler");
  await api.dispose();
});

test("after Publish, the builder's Run runs the draft and says so; the input is remembered; the Output tab shows a node's input, output and timing", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Dora Draft");
  const flowId = await createFlow(api, workspaceId, "Doubler", doubler());
  const headers = inWorkspace(workspaceId);
  const published = await api.post(`/api/v1/flows/${flowId}/publish`, { headers, data: {} });
  expect(published.status(), await published.text()).toBeLessThan(300);
  // The draft changes after the publish: x3 instead of x2.
  const current = await storedFlow(api, workspaceId, flowId);
  const put = await api.put(`/api/v1/flows/${flowId}`, { headers, data: { version: current.version, ...doubler("return { n: input.n * 3 };"), name: current.name } });
  expect(put.status(), await put.text()).toBe(200);

  await openBuilder(page, workspaceId, flowId, 3);
  await page.getByRole("button", { name: "Run draft", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Run the draft" });
  await expect(dialog.getByTestId("runs-draft")).toContainText("Runs the draft you are editing");
  await dialog.getByLabel(/^n/).fill("7");
  await shot(page, testInfo, "run-dialog-draft");
  await dialog.getByRole("button", { name: "Start run" }).click();
  await expect(dialog).toBeHidden();

  const live = page.getByTestId("builder-live");
  await expect(live.getByTestId("live-status")).toHaveAttribute("data-status", "completed", { timeout: 20_000 });
  // Clicking a node of the live view opens its Output tab.
  await liveNode(page, "calc").click();
  await expect(inspector(page).getByRole("tab", { name: "Output" })).toHaveAttribute("aria-selected", "true");
  await expect(inspector(page).getByTestId("output-output")).toContainText('"n": 21');
  await expect(inspector(page).getByTestId("output-input")).toContainText('"n": 7');
  await expect(inspector(page).getByTestId("output-metrics")).toContainText("Attempts");
  await shot(page, testInfo, "output-tab-live");

  // The API (and triggers) still run the published version: x2.
  const viaApi = await api.post(`/api/v1/flows/${flowId}/execute`, { headers, data: { input: { n: 7 } } });
  const { executionId } = (await viaApi.json()) as { executionId: string };
  await expect.poll(async () => (await execution(api, workspaceId, executionId)).output, { timeout: 20_000 }).toEqual({ n: 14 });

  // Back to editing: the Output tab keeps the last run; the dialog remembers the input.
  await live.getByRole("button", { name: "Back to editing" }).click();
  await canvasNode(page, "calc").click();
  await inspector(page).getByRole("tab", { name: "Output" }).click();
  await expect(inspector(page).getByTestId("output-output")).toContainText('"n": 21');
  await page.reload();
  await expect(page.locator(".react-flow__node")).toHaveCount(3);
  await page.getByRole("button", { name: "Run draft", exact: true }).click();
  await expect(page.getByRole("dialog", { name: "Run the draft" }).getByLabel(/^n/)).toHaveValue("7");
  await api.dispose();
});

test("a failed node's Output tab shows the error code and a hint", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Fay Failure");
  const flowId = await createFlow(api, workspaceId, "Boom", {
    nodes: [node("in", "source", {}, at(0, 0)), node("boom", "function", { code: "throw new Error('bad input from e2e');" }, at(320, 0)), node("out", "sink", {}, at(640, 0))],
    edges: [edge("in", "boom"), edge("boom", "out")],
  });
  await openBuilder(page, workspaceId, flowId, 3);
  await page.getByRole("button", { name: "Run draft", exact: true }).click();
  await page.getByRole("dialog", { name: "Run the draft" }).getByRole("button", { name: "Start run" }).click();
  const boom = liveNode(page, "boom");
  await expect(boom).toHaveAttribute("data-status", "failed", { timeout: 20_000 });
  // Keyboard: focus the node and press Enter.
  await boom.locator("xpath=..").focus();
  await page.keyboard.press("Enter");
  const error = inspector(page).getByTestId("output-error");
  await expect(error).toContainText("bad input from e2e");
  await expect(error).toContainText("USER_ERROR");
  await expect(inspector(page).getByTestId("output-hint")).toBeVisible();
  await shot(page, testInfo, "output-tab-error");
  await api.dispose();
});

test("the Start block shows trigger badges (webhook on, 1 schedule) that open the triggers sheet; axe finds nothing serious on the builder", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Tia Triggers");
  const flowId = await createFlow(api, workspaceId, "Triggered", doubler());
  const headers = inWorkspace(workspaceId);
  const hook = await api.post(`/api/v1/flows/${flowId}/webhook`, { headers, data: {} });
  expect(hook.status(), await hook.text()).toBeLessThan(300);
  const schedule = await api.post(`/api/v1/flows/${flowId}/schedules`, { headers, data: { cron: "0 9 * * 1", timezone: "UTC", input: { n: 1 } } });
  expect(schedule.status(), await schedule.text()).toBeLessThan(300);

  await openBuilder(page, workspaceId, flowId, 3);
  await expect(page.getByTestId("badge-webhook")).toHaveText("Webhook on");
  await expect(page.getByTestId("badge-schedules")).toHaveText("1 schedule");
  await page.getByTestId("badge-schedules").click();
  const sheet = page.getByRole("dialog", { name: "Triggers" });
  await expect(sheet.getByTestId("flow-triggers")).toBeVisible();
  expect((await sheet.boundingBox())!.width).toBeGreaterThanOrEqual(600);
  await shot(page, testInfo, "trigger-sheet");
  await sheet.getByRole("button", { name: "Close" }).click();

  // Accessibility: the builder with and without the inspector, and the quick add dialog.
  const serious = async () => {
    const results = await new AxeBuilder({ page }).analyze();
    return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  };
  expect(await serious()).toEqual([]);
  await canvasNode(page, "calc").click();
  await expect(inspector(page)).toBeVisible();
  expect(await serious()).toEqual([]);
  await page.getByRole("button", { name: "Validate" }).click();
  await expect(page.getByTestId("problems-panel")).toBeVisible();
  expect(await serious()).toEqual([]);
  await snapshot(page, testInfo, "builder-axe");
  await api.dispose();
});
