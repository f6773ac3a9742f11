import { expect, test, type Locator, type Page } from "@playwright/test";

// The flow builder: a new flow, a block dragged from the palette, handles connected, code typed
// into the config panel, autosave, a reload, a run checked through the REST API, and the conflict
// UI when the flow is saved behind the page's back.

const PASSWORD = "correct horse battery staple";

function uniqueEmail(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

async function signUpAndCreateWorkspace(page: Page, name: string): Promise<string> {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-up$/);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(uniqueEmail("builder"));
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
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

const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
const saveStatus = (page: Page) => page.getByRole("status", { name: "Save status" });

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

test("a user builds a flow on the canvas, it autosaves, survives a reload and runs", async ({ page }, testInfo) => {
  const workspaceId = await signUpAndCreateWorkspace(page, "Bea Builder");
  const flowId = await newFlow(page);

  // Drag a Function block from the palette onto the canvas.
  const canvas = page.getByTestId("canvas");
  const box = (await canvas.boundingBox())!;
  await page
    .getByRole("navigation", { name: "Blocks" })
    .getByRole("button", { name: "Function", exact: true })
    .dragTo(canvas, { targetPosition: { x: box.width / 2 - 90, y: Math.max(40, box.height / 2 - 160) } });
  await expect(node(page, "function_1")).toBeVisible();

  // Connect start -> function -> end by dragging between handles.
  await drag(page, node(page, "start").locator(".react-flow__handle.source"), node(page, "function_1").locator(".react-flow__handle.target"));
  await expect(page.locator(".react-flow__edge")).toHaveCount(1);
  await drag(page, node(page, "function_1").locator(".react-flow__handle.source"), node(page, "end").locator(".react-flow__handle.target"));
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);

  // Configure the function in the side panel (generated from its schema).
  await node(page, "function_1").click();
  const panel = page.getByRole("complementary", { name: "Block settings" });
  const code = panel.getByLabel("code");
  await code.fill("");
  await expect(panel.getByText("must not be empty")).toBeVisible();
  await code.fill("return { doubled: input.n * 2 };");
  await expect(panel.getByText("must not be empty")).toHaveCount(0);
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
  await node(page, "function_1").click();
  await expect(page.getByRole("complementary", { name: "Block settings" }).getByLabel("code")).toHaveValue("return { doubled: input.n * 2 };");

  // Run it with an input, then read the execution through the REST API with the session cookie.
  await page.getByRole("button", { name: "Run" }).click();
  const dialog = page.getByRole("dialog", { name: "Run flow" });
  await dialog.getByLabel("Input").fill('{ "n": 21 }');
  await dialog.getByRole("button", { name: "Start run" }).click();
  await expect(dialog).toBeHidden();
  const link = page.getByRole("link", { name: "View execution" });
  await expect(link).toHaveAttribute("href", new RegExp(`/w/${workspaceId}/executions/[0-9a-f-]{36}$`));
  const executionId = /executions\/([0-9a-f-]{36})$/.exec((await link.getAttribute("href"))!)![1]!;

  const api = page.context().request;
  await expect
    .poll(
      async () => {
        const response = await api.get(`/api/v1/executions/${executionId}`, { headers: { "x-weft-workspace": workspaceId } });
        const body = (await response.json()) as { execution?: { status: string }; status?: string };
        return (body.execution ?? body).status;
      },
      { timeout: 20_000 },
    )
    .toBe("completed");
  const response = await api.get(`/api/v1/executions/${executionId}`, { headers: { "x-weft-workspace": workspaceId } });
  const body = (await response.json()) as { execution?: { output: unknown; flowId: string }; output?: unknown; flowId?: string };
  const execution = body.execution ?? (body as { output: unknown; flowId: string });
  expect(execution.flowId).toBe(flowId);
  expect(execution.output).toEqual({ doubled: 42 });
});

test("a save against a stale version shows the conflict, and Overwrite saves over it", async ({ page }) => {
  const workspaceId = await signUpAndCreateWorkspace(page, "Carl Conflict");
  const flowId = await newFlow(page);
  await expect(saveStatus(page)).toHaveText("Saved");

  // Someone else saves the flow through the API.
  const api = page.context().request;
  const headers = { "x-weft-workspace": workspaceId };
  const current = (await (await api.get(`/api/v1/flows/${flowId}`, { headers })).json()) as { flow: { version: number; nodes: unknown[]; edges: unknown[] } };
  const put = await api.put(`/api/v1/flows/${flowId}`, {
    headers,
    data: { version: current.flow.version, name: "Renamed elsewhere", nodes: current.flow.nodes, edges: current.flow.edges },
  });
  expect(put.status(), await put.text()).toBe(200);

  // An edit here now saves against the old version.
  await page.getByRole("navigation", { name: "Blocks" }).getByRole("button", { name: "Delay", exact: true }).click();
  await expect(node(page, "delay_1")).toBeVisible();
  const alert = page.getByRole("alert").filter({ hasText: "This flow was changed elsewhere" });
  await expect(alert).toBeVisible();
  await expect(saveStatus(page)).toHaveText("Conflict");

  await alert.getByRole("button", { name: "Overwrite" }).click();
  await expect(saveStatus(page)).toHaveText("Saved");
  await expect(alert).toBeHidden();
  const after = (await (await api.get(`/api/v1/flows/${flowId}`, { headers })).json()) as { flow: { nodes: { id: string }[] } };
  expect(after.flow.nodes.map((n) => n.id)).toContain("delay_1");

  // Validate: nothing is connected, so the problems show on the blocks they concern.
  await page.getByRole("button", { name: "Validate" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /problems?/ })).toBeVisible();
  await expect(page.getByTestId("block-delay_1")).toHaveAttribute("data-invalid", "true");
  await expect(page.getByTestId("block-delay_1").getByRole("listitem").first()).toBeVisible();
});
