import { expect, test, type Locator, type Page } from "@playwright/test";
import { canvasNode as node, closeInspector, inspector as panel, openBlock, paletteBlock, saveStatus } from "./builder";
import { at, edge, execution, inWorkspace, memberOf, node as graphNode, signIn, signUpInBrowser, storedFlow, uniqueEmail, waitForStatus } from "./support";

// The flow builder: a new flow, a block dragged from the palette, handles connected, code typed
// into the config panel, autosave, a reload, a run checked through the REST API, and the conflict
// UI when the flow is saved behind the page's back.

async function signUpAndCreateWorkspace(page: Page, name: string): Promise<string> {
  await signUpInBrowser(page, { name, email: uniqueEmail("builder") });
  await expect(page).toHaveURL(/\/onboarding$/);
  await page.getByLabel("Workspace name").fill("Builder Lab");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(/\/w\/[0-9a-f-]{36}\/flows$/);
  return /\/w\/([0-9a-f-]{36})\//.exec(page.url())![1]!;
}

async function newFlow(page: Page): Promise<string> {
  await page.getByRole("button", { name: "New flow" }).click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  await expect(page.locator(".react-flow__node")).toHaveCount(2);
  return /\/flows\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
}

/** Drags with the mouse from the middle of one element to the middle of another. */
async function drag(page: Page, from: Locator, to: Locator) {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2 + b.width / 2, (a.y + b.y) / 2 + b.height / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

/**
 * Drags a block from the palette into the upper middle of the canvas. The new block opens in the
 * inspector; it is closed again, as it covers the End block on the right.
 */
async function dragFromPalette(page: Page, label: string, id: string) {
  const canvas = page.getByTestId("canvas");
  const box = (await canvas.boundingBox())!;
  await paletteBlock(page, label).dragTo(canvas, { targetPosition: { x: box.width / 2 - 90, y: Math.max(40, box.height / 2 - 160) } });
  await expect(node(page, id)).toBeVisible();
  await closeInspector(page);
}

test("a user builds a flow on the canvas, it autosaves, survives a reload and runs", async ({ page }, testInfo) => {
  const workspaceId = await signUpAndCreateWorkspace(page, "Bea Builder");
  const flowId = await newFlow(page);

  // Drag a Function block from the palette onto the canvas.
  await dragFromPalette(page, "Function", "function_1");

  // Connect start -> function -> end by dragging between handles.
  await drag(page, node(page, "start").locator(".react-flow__handle.source"), node(page, "function_1").locator(".react-flow__handle.target"));
  await expect(page.locator(".react-flow__edge")).toHaveCount(1);
  await drag(page, node(page, "function_1").locator(".react-flow__handle.source"), node(page, "end").locator(".react-flow__handle.target"));
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);

  // Configure the function in the side panel (generated from its schema).
  await openBlock(page, "function_1");
  const code = panel(page).getByLabel("Code", { exact: true });
  await code.fill("");
  // Errors wait until the field is left (touched).
  await expect(panel(page).getByText("must not be empty")).toHaveCount(0);
  await code.press("Tab");
  await expect(panel(page).getByText("must not be empty")).toBeVisible();
  await code.fill("return { doubled: input.n * 2 };");
  await expect(panel(page).getByText("must not be empty")).toHaveCount(0);
  await expect(saveStatus(page)).toHaveText("Saved");

  // Validate: no problems.
  await page.getByRole("button", { name: "Validate" }).click();
  await expect(page.getByText("The flow is valid.")).toBeVisible();

  const file = testInfo.outputPath("builder.png");
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach("builder", { path: file, contentType: "image/png" });

  // Reload: the same graph.
  await page.reload();
  await expect(page.locator(".react-flow__node")).toHaveCount(3);
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);
  await openBlock(page, "function_1");
  await expect(panel(page).getByLabel("Code", { exact: true })).toHaveText("return { doubled: input.n * 2 };");

  // Run it with an input, then read the execution through the REST API with the session cookie.
  await page.getByRole("button", { name: "Run draft", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Run the draft" });
  await dialog.getByLabel("Input").fill('{ "n": 21 }');
  await dialog.getByRole("button", { name: "Start run" }).click();
  await expect(dialog).toBeHidden();
  const link = page.getByRole("link", { name: "View execution" });
  await expect(link).toHaveAttribute("href", new RegExp(`/w/${workspaceId}/executions/[0-9a-f-]{36}$`));
  const executionId = /executions\/([0-9a-f-]{36})$/.exec((await link.getAttribute("href"))!)![1]!;

  const api = page.context().request;
  await waitForStatus(api, workspaceId, executionId, "completed");
  const run = await execution(api, workspaceId, executionId);
  expect(run.flowId).toBe(flowId);
  expect(run.output).toEqual({ doubled: 42 });

  // The builder's canvas became the run's live view: every node ends green.
  const liveNodes = page.getByTestId("live-node");
  await expect(liveNodes).toHaveCount(3);
  for (const id of ["start", "function_1", "end"]) {
    await expect(page.locator(`[data-testid="live-node"][data-node-id="${id}"]`)).toHaveAttribute("data-status", "completed");
  }
  // And the timeline, opened in a new tab (the builder stays open), shows the output.
  const [timeline] = await Promise.all([page.waitForEvent("popup"), link.click()]);
  await expect(timeline.getByTestId("execution-status")).toHaveAttribute("data-status", "completed");
  await expect(timeline.getByTestId("execution-output")).toContainText('"doubled": 42');
});

test("a save against a stale version shows the conflict, and Overwrite saves over it", async ({ page }) => {
  const workspaceId = await signUpAndCreateWorkspace(page, "Carl Conflict");
  const flowId = await newFlow(page);
  await expect(saveStatus(page)).toHaveText("Saved");

  // Someone else saves the flow through the API.
  const api = page.context().request;
  const current = await storedFlow(api, workspaceId, flowId);
  const put = await api.put(`/api/v1/flows/${flowId}`, {
    headers: inWorkspace(workspaceId),
    data: { version: current.version, name: "Renamed elsewhere", nodes: current.nodes, edges: current.edges },
  });
  expect(put.status(), await put.text()).toBe(200);

  // An edit here now saves against the old version.
  await paletteBlock(page, "Delay").click();
  await expect(node(page, "delay_1")).toBeVisible();
  const alert = page.getByRole("alert").filter({ hasText: "This flow was changed elsewhere" });
  await expect(alert).toBeVisible();
  await expect(saveStatus(page)).toHaveText("Conflict");

  await alert.getByRole("button", { name: "Overwrite" }).click();
  await expect(saveStatus(page)).toHaveText("Saved");
  await expect(alert).toBeHidden();
  expect((await storedFlow(api, workspaceId, flowId)).nodes.map((n) => n.id)).toContain("delay_1");

  // Validate: nothing is connected, so the problems show on the blocks they concern.
  await page.getByRole("button", { name: "Validate" }).click();
  await expect(page.getByTestId("problems-panel")).toContainText(/\d+ problems?/);
  await expect(page.getByTestId("block-delay_1")).toHaveAttribute("data-invalid", "true");
  await expect(page.getByTestId("problems-badge-delay_1")).toBeVisible();
});

// --- Editing: undo/redo, copy/paste, templates with the generated run form, the code editor.

/** Creates a flow through the REST API (with the page's session) and opens it in the builder. */
async function openNewFlow(page: Page, workspaceId: string, graph: { nodes: unknown[]; edges: unknown[] }): Promise<string> {
  const response = await page.context().request.post("/api/v1/flows", { headers: inWorkspace(workspaceId), data: { name: "Editing", ...graph } });
  expect(response.status(), await response.text()).toBe(201);
  const { flow } = (await response.json()) as { flow: { id: string } };
  await page.goto(`/w/${workspaceId}/flows/${flow.id}`);
  await expect(page.locator(".react-flow__node")).toHaveCount(graph.nodes.length);
  return flow.id;
}

const fn = (id: string, x: number, code = "return input;", y = 0) => graphNode(id, "function", { code }, at(x, y));
const start = graphNode("start", "source", {}, at(0, 0));
const end = (x: number) => graphNode("end", "sink", {}, at(x, 0));
/** A click on an empty spot of the canvas: clears the selection and takes focus off any field. */
const clickPane = (page: Page) => page.getByTestId("canvas").click({ position: { x: 12, y: 12 } });

test("undo and redo an added block and a connection, with the toolbar and the keyboard", async ({ page }) => {
  const workspaceId = await signUpAndCreateWorkspace(page, "Uma Undo");
  const flowId = await newFlow(page);
  const undo = page.getByRole("button", { name: "Undo" });
  const redo = page.getByRole("button", { name: "Redo" });
  await expect(undo).toBeDisabled();

  await dragFromPalette(page, "Delay", "delay_1");
  await drag(page, node(page, "start").locator(".react-flow__handle.source"), node(page, "delay_1").locator(".react-flow__handle.target"));
  await expect(page.locator(".react-flow__edge")).toHaveCount(1);

  // Toolbar: the connection goes first, then the block.
  await undo.click();
  await expect(page.locator(".react-flow__edge")).toHaveCount(0);
  await expect(node(page, "delay_1")).toBeVisible();
  await undo.click();
  await expect(node(page, "delay_1")).toHaveCount(0);
  await expect(undo).toBeDisabled();

  // Keyboard: Mod+Shift+Z and Mod+Y redo them.
  await clickPane(page);
  await page.keyboard.press("ControlOrMeta+Shift+z");
  await expect(node(page, "delay_1")).toBeVisible();
  await page.keyboard.press("ControlOrMeta+y");
  await expect(page.locator(".react-flow__edge")).toHaveCount(1);
  await expect(redo).toBeDisabled();
  await page.keyboard.press("ControlOrMeta+z");
  await expect(page.locator(".react-flow__edge")).toHaveCount(0);
  await page.keyboard.press("ControlOrMeta+Shift+z");
  await expect(page.locator(".react-flow__edge")).toHaveCount(1);

  // Mod+Z typed in a field of the side panel is the field's own, not the canvas's.
  await node(page, "delay_1").click();
  const label = panel(page).getByLabel("Label");
  await label.fill("Wait a bit");
  await label.press("ControlOrMeta+z");
  await expect(node(page, "delay_1")).toBeVisible();
  await expect(page.locator(".react-flow__edge")).toHaveCount(1);

  // What the undo history left is what got saved.
  await expect(saveStatus(page)).toHaveText("Saved");
  const saved = await storedFlow(page.context().request, workspaceId, flowId);
  expect(saved.nodes.map((n) => n.id).sort()).toEqual(["delay_1", "end", "start"]);
  expect(saved.edges.map((e) => [e.source, e.target])).toEqual([["start", "delay_1"]]);
  await page.reload();
  await expect(page.locator(".react-flow__node")).toHaveCount(3);
  await expect(page.locator(".react-flow__edge")).toHaveCount(1);
});

test("copy and paste two connected blocks: new ids, the edge between them, also into another flow", async ({ page }) => {
  const workspaceId = await signUpAndCreateWorkspace(page, "Pia Paste");
  // b under a: both stay in view when a's inspector opens on the right.
  const graph = {
    nodes: [start, fn("a", 260, "return input + 1;"), fn("b", 260, "return input;", 160), end(520)],
    edges: [edge("start", "a"), edge("a", "b"), edge("b", "end")],
  };
  const flowId = await openNewFlow(page, workspaceId, graph);

  // Multi-select with Mod+click, copy, paste.
  await node(page, "a").click();
  await node(page, "b").click({ modifiers: ["ControlOrMeta"] });
  await expect(page.locator(".react-flow__node.selected")).toHaveCount(2);
  await page.keyboard.press("ControlOrMeta+c");
  await page.keyboard.press("ControlOrMeta+v");
  await expect(page.locator(".react-flow__node")).toHaveCount(6);
  await expect(node(page, "function_1")).toBeVisible();
  await expect(node(page, "function_2")).toBeVisible();
  await expect(page.locator(".react-flow__edge")).toHaveCount(4);
  await expect(page.locator(".react-flow__node.selected")).toHaveCount(2);

  await expect(saveStatus(page)).toHaveText("Saved");
  const saved = await storedFlow(page.context().request, workspaceId, flowId);
  const copyOfA = saved.nodes.find((n) => n.id === "function_1")!;
  expect(copyOfA.data.config).toEqual({ code: "return input + 1;" });
  expect(copyOfA.position).toEqual({ x: 300, y: 40 });
  expect(saved.edges.map((e) => [e.source, e.target])).toContainEqual(["function_1", "function_2"]);
  expect(saved.edges).toHaveLength(4);

  // Delete removes the pasted blocks with their edge; undo brings them back.
  await page.keyboard.press("Delete");
  await expect(page.locator(".react-flow__node")).toHaveCount(4);
  await expect(page.locator(".react-flow__edge")).toHaveCount(3);
  await page.keyboard.press("ControlOrMeta+z");
  await expect(page.locator(".react-flow__node")).toHaveCount(6);
  await expect(page.locator(".react-flow__edge")).toHaveCount(4);

  // The clipboard holds the blocks as text: they paste into another flow.
  const otherId = await openNewFlow(page, workspaceId, { nodes: [start], edges: [] });
  await clickPane(page);
  await page.keyboard.press("ControlOrMeta+v");
  await expect(page.locator(".react-flow__node")).toHaveCount(3);
  await expect(page.locator(".react-flow__edge")).toHaveCount(1);
  await expect(saveStatus(page)).toHaveText("Saved");
  const other = await storedFlow(page.context().request, workspaceId, otherId);
  expect(other.nodes.map((n) => n.id).sort()).toEqual(["function_1", "function_2", "start"]);
  expect(other.edges.map((e) => [e.source, e.target])).toEqual([["function_1", "function_2"]]);
});

test("a flow from a template runs with the input form generated from its schema, and is published", async ({ page }) => {
  const workspaceId = await signUpAndCreateWorkspace(page, "Tess Template");
  await page.getByRole("button", { name: "From a template" }).click();
  const chooser = page.getByRole("dialog", { name: "New flow from a template" });
  await expect(chooser.getByTestId("template-summarise-web-page")).toContainText("needs an AI connection");
  await chooser.getByTestId("template-fan-out-enrichment").click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  const flowId = /\/flows\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
  await expect(page.locator(".react-flow__node")).toHaveCount(7);
  await expect(page.getByLabel("Flow name")).toHaveValue("Enrich a list (loop + parallel)");

  await page.getByRole("button", { name: "Validate" }).click();
  await expect(page.getByText("The flow is valid.")).toBeVisible();

  // The run dialog is a form generated from the start block's input schema.
  await page.getByRole("button", { name: "Run draft", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Run the draft" });
  const emails = dialog.getByLabel("emails");
  await expect(emails).toBeVisible();
  await dialog.getByRole("button", { name: "Start run" }).click();
  await expect(dialog.getByText("emails is required: enter one item per line").first()).toBeVisible();
  await emails.fill("ada.lovelace@example.com\ngrace@gmail.com");
  await dialog.getByRole("button", { name: "Start run" }).click();
  await expect(dialog).toBeHidden();

  const api = page.context().request;
  const headers = inWorkspace(workspaceId);
  let executionId = "";
  await expect
    .poll(
      async () => {
        const list = (await (await api.get(`/api/v1/executions?flowId=${flowId}`, { headers })).json()) as { items: { id: string; status: string }[] };
        executionId = list.items[0]?.id ?? "";
        return list.items[0]?.status;
      },
      { timeout: 20_000 },
    )
    .toBe("completed");
  expect((await execution(api, workspaceId, executionId)).output).toEqual([
    { email: "ada.lovelace@example.com", name: "Ada Lovelace", domain: "example.com", freeMail: false, company: "example" },
    { email: "grace@gmail.com", name: "Grace", domain: "gmail.com", freeMail: true, company: null },
  ]);

  // Publish, and the version list shows who published it.
  await page.getByRole("button", { name: "Publish" }).click();
  const versions = page.getByRole("dialog", { name: "Publish and versions" });
  await expect(versions.getByText("Not published yet.")).toBeVisible();
  await versions.getByRole("button", { name: "Publish the current draft" }).click();
  await expect(versions.getByRole("status")).toHaveText("Published as version 1.");
  await expect(versions.getByTestId("version-1")).toContainText("by Tess Template");
});

test("the code editor edits a function block's code, and the code survives a reload", async ({ page }) => {
  const workspaceId = await signUpAndCreateWorkspace(page, "Cody Editor");
  const flowId = await openNewFlow(page, workspaceId, {
    nodes: [start, fn("fn", 260), end(520)],
    edges: [edge("start", "fn"), edge("fn", "end")],
  });

  await node(page, "fn").click();
  const editor = panel(page).getByRole("textbox", { name: "Code" });
  await expect(editor).toHaveText("return input;");
  await editor.click();
  // Mod+A and typing happen inside the editor: the canvas keeps its blocks.
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("const n = input.n;");
  await page.keyboard.press("Enter");
  await page.keyboard.type("return n * 3;");
  await expect(page.locator(".react-flow__node")).toHaveCount(3);
  await expect(saveStatus(page)).toHaveText("Saved");
  expect((await storedFlow(page.context().request, workspaceId, flowId)).nodes.find((n) => n.id === "fn")!.data.config).toEqual({ code: "const n = input.n;\nreturn n * 3;" });

  await page.reload();
  await node(page, "fn").click();
  const lines = panel(page).getByRole("textbox", { name: "Code" }).locator(".cm-line");
  await expect(lines).toHaveText(["const n = input.n;", "return n * 3;"]);
});

test("AI blocks pick a connection and a model; headers and routes have row editors; a viewer gets no edit controls", async ({ page, browser, playwright, baseURL }) => {
  const workspaceId = await signUpAndCreateWorkspace(page, "Rita Rows");
  const api = page.context().request;
  const headers = inWorkspace(workspaceId);
  const created = await api.post("/api/v1/connections", { headers, data: { name: "Team Anthropic", provider: "anthropic", apiKey: "sk-ant-test-not-a-real-key" } });
  expect(created.status(), await created.text()).toBe(201);
  const connectionId = ((await created.json()) as { connection: { id: string } }).connection.id;

  const flowId = await openNewFlow(page, workspaceId, {
    nodes: [
      start,
      graphNode("ask", "ai", { prompt: "{{ input }}" }, at(260, 0)),
      graphNode("call", "http", { method: "GET", url: "https://example.com" }, at(520, 0)),
      graphNode("route", "router", { routes: [{ handle: "yes", when: "Boolean(input)" }], default: "no" }, at(780, 0)),
    ],
    edges: [edge("start", "ask"), edge("ask", "call"), edge("call", "route")],
  });

  // AI: the workspace's connections by name and provider; models suggested for that provider.
  await openBlock(page, "ask");
  const connection = panel(page).getByLabel("AI connection");
  await expect(connection.getByRole("option", { name: "Team Anthropic (Anthropic)" })).toHaveCount(1);
  await connection.selectOption({ label: "Team Anthropic (Anthropic)" });
  const model = panel(page).getByLabel("Model", { exact: true });
  const listId = (await model.getAttribute("list"))!;
  await expect(page.locator(`datalist[id="${listId}"] option[value="claude-haiku-4-5"]`)).toHaveCount(1);
  await expect(page.locator(`datalist[id="${listId}"] option[value="gpt-4o"]`)).toHaveCount(0);
  await model.fill("claude-haiku-4-5");
  await expect(panel(page).getByText("must not be empty")).toHaveCount(0);

  // HTTP headers: name/value rows.
  await openBlock(page, "call");
  await panel(page).getByRole("button", { name: "Add header" }).click();
  await panel(page).getByLabel("Headers 1 name").fill("X-Api-Version");
  await panel(page).getByLabel("Headers 1 value").fill("2");

  // Router routes: a row per route, the expression in the code editor.
  await openBlock(page, "route");
  await panel(page).getByRole("button", { name: "Add route" }).click();
  await panel(page).getByLabel("Output name").nth(1).fill("small");
  await panel(page).getByRole("textbox", { name: "When" }).nth(1).fill("input.n < 10");
  await expect(node(page, "route")).toContainText("small");

  await expect(saveStatus(page)).toHaveText("Saved");
  const saved = await storedFlow(page.context().request, workspaceId, flowId);
  const config = (id: string) => saved.nodes.find((n) => n.id === id)!.data.config;
  expect(config("ask")).toEqual({ prompt: "{{ input }}", connectionId, model: "claude-haiku-4-5" });
  expect(config("call")).toEqual({ method: "GET", url: "https://example.com", headers: { "X-Api-Version": "2" } });
  expect(config("route")).toEqual({ routes: [{ handle: "yes", when: "Boolean(input)" }, { handle: "small", when: "input.n < 10" }], default: "no" });

  // A viewer of the workspace: the canvas and the version list, nothing to edit, run or publish.
  const viewerApi = await memberOf(playwright, baseURL, api, workspaceId, "Vera Viewer", "viewer");
  const viewerContext = await browser.newContext({ baseURL });
  const viewer = await viewerContext.newPage();
  await signIn(viewer, viewerApi);
  await viewer.goto(`/w/${workspaceId}/flows/${flowId}`);
  await expect(viewer.locator(".react-flow__node")).toHaveCount(4);
  await expect(viewer.getByText("Read only")).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Versions" })).toBeVisible();
  for (const name of ["Undo", "Redo", "Publish", "Run draft"]) await expect(viewer.getByRole("button", { name, exact: true })).toHaveCount(0);
  await expect(viewer.getByRole("navigation", { name: "Blocks" })).toHaveCount(0);
  await viewer.locator('.react-flow__node[data-id="route"]').click();
  await expect(viewer.getByRole("button", { name: "Add route" })).toBeDisabled();
  await expect(viewer.getByRole("textbox", { name: "When" }).first()).toHaveAttribute("contenteditable", "false");
  await viewer.getByRole("button", { name: "Versions" }).click();
  await expect(viewer.getByRole("dialog", { name: "Versions" }).getByText("Not published yet.")).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Publish the current draft" })).toHaveCount(0);
  await viewerContext.close();
  await viewerApi.dispose();
});
