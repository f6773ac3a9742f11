import { expect, test } from "@playwright/test";
import { inWorkspace, PASSWORD, signIn, signUpInBrowser, signUpViaApi, snapshot, uniqueEmail } from "./support";

// The foundation: sign-up, onboarding, the signed-in shell, API keys (shown once, then used and
// revoked against the REST API), and role-based UI for viewers. Each test makes its own users.

test("a new user signs up, creates a workspace and an API key that works once and stops working when revoked", async ({
  page,
  request,
}, testInfo) => {
  const email = uniqueEmail("owner");
  await signUpInBrowser(page, { name: "Ada Owner", email });

  // Onboarding: no workspace yet.
  await expect(page).toHaveURL(/\/onboarding$/);
  await expect(page.getByRole("heading", { name: "Create your workspace" })).toBeVisible();
  await page.getByLabel("Workspace name").fill("Acme Automation");
  await page.getByRole("button", { name: "Create workspace" }).click();

  // The shell: /w/<id> lands on Flows.
  await expect(page).toHaveURL(/\/w\/[0-9a-f-]{36}\/flows$/);
  const workspaceId = /\/w\/([0-9a-f-]{36})\//.exec(page.url())![1]!;
  const nav = page.getByRole("navigation", { name: "Workspace" });
  for (const section of ["Flows", "Executions", "Decisions", "Patterns", "Analytics", "Connections", "Settings"]) {
    await expect(nav.getByRole("link", { name: section })).toHaveAttribute("href", `/w/${workspaceId}/${section.toLowerCase()}`);
  }
  // The Blocks placeholder left the navigation (a11y.spec.ts checks the same).
  await expect(nav.getByRole("link")).toHaveCount(7);
  await expect(nav.getByRole("link", { name: "Flows" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { name: "No flows yet" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Switch workspace" })).toContainText("Acme Automation");
  await expect(page.getByText(email)).toBeVisible();

  await page.screenshot({ path: testInfo.outputPath("dashboard.png"), fullPage: true });
  await testInfo.attach("dashboard", { path: testInfo.outputPath("dashboard.png"), contentType: "image/png" });

  // Settings -> API keys: the full key is shown once.
  await nav.getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${workspaceId}/settings$`));
  await expect(nav.getByRole("link", { name: "Settings" })).toHaveAttribute("aria-current", "page");
  const keys = page.getByRole("region", { name: "API keys" });
  await keys.getByLabel("Name").fill("e2e script");
  await keys.getByLabel("Role").selectOption("member");
  await keys.getByRole("button", { name: "Create key" }).click();
  await expect(keys.getByText("you won't see it again")).toBeVisible();
  const keyBox = keys.getByLabel("New API key");
  await expect(keyBox).toHaveValue(/^weft_/);
  const key = await keyBox.inputValue();
  await expect(keys.getByRole("button", { name: "Copy" })).toBeVisible();
  const row = keys.getByRole("row", { name: /e2e script/ });
  await expect(row).toContainText(`${key.slice(0, 11)}…`);
  await expect(row).toContainText("Active");

  await snapshot(page, testInfo, "settings");

  // The key authenticates the REST API as this workspace.
  const me = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${key}` } });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ workspaceId, role: "member", userId: null });

  // Never shown again: not after "Done", not after a reload.
  await keys.getByRole("button", { name: "Done" }).click();
  await expect(keys.getByLabel("New API key")).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("region", { name: "API keys" }).getByRole("row", { name: /e2e script/ })).toBeVisible();
  expect(await page.content()).not.toContain(key);

  // Revoke (with confirmation): the same call is now refused.
  await page.getByRole("button", { name: "Revoke e2e script" }).click();
  const confirm = page.getByRole("dialog", { name: "Revoke e2e script?" });
  await expect(confirm).toBeVisible();
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole("region", { name: "API keys" }).getByRole("row", { name: /e2e script/ })).toContainText("Revoked");
  const after = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${key}` } });
  expect(after.status()).toBe(401);

  // Sign out returns to the sign-in page, and the shell is closed to the signed-out.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto(`/w/${workspaceId}/flows`);
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("a wrong password shows the error; a viewer sees connections but no controls to manage them", async ({
  page,
  playwright,
  baseURL,
}, testInfo) => {
  const ownerEmail = uniqueEmail("admin");
  const viewerEmail = uniqueEmail("viewer");
  const owner = await signUpViaApi(playwright, baseURL, { name: "Olga Owner", email: ownerEmail });
  const viewer = await signUpViaApi(playwright, baseURL, { name: "Victor Viewer", email: viewerEmail });
  await viewer.dispose();

  const created = await owner.post("/api/v1/workspaces", { data: { name: "Shared Space" } });
  expect(created.status(), await created.text()).toBe(201);
  const workspaceId = ((await created.json()) as { workspace: { id: string } }).workspace.id;
  const invited = await owner.post(`/api/v1/workspaces/${workspaceId}/members`, { data: { email: viewerEmail, role: "viewer" } });
  expect(invited.status(), await invited.text()).toBe(201);
  const connection = await owner.post("/api/v1/connections", {
    headers: inWorkspace(workspaceId),
    data: { name: "Team OpenAI", provider: "openai", apiKey: "sk-test-not-a-real-key" },
  });
  expect(connection.status(), await connection.text()).toBe(201);
  await owner.dispose();

  // Wrong password: the server's message, at the top of the form.
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(viewerEmail);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Wrong email or password");
  await expect(page).toHaveURL(/\/sign-in$/);

  // The right one: into the viewer's only workspace.
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${workspaceId}/flows$`));
  await expect(page.getByRole("button", { name: "Switch workspace" })).toContainText("viewer");

  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Connections" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${workspaceId}/connections$`));
  await expect(page.getByRole("row", { name: /Team OpenAI/ })).toContainText("OpenAI");
  await expect(page.getByText("Only admins can manage connections")).toBeVisible();
  await expect(page.getByRole("button", { name: "New connection" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Edit/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Delete/ })).toHaveCount(0);
  await snapshot(page, testInfo, "viewer-connections");

  // Settings: members are listed, but neither invitations nor API keys are offered.
  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("region", { name: "Members" }).getByRole("row", { name: /Olga Owner/ })).toContainText("Owner");
  await expect(page.getByRole("button", { name: "Add member" })).toHaveCount(0);
  await expect(page.getByText("Only admins can see and manage API keys.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Leave" })).toBeVisible();
});

test("an admin creates, edits and deletes a connection; the secret is never shown", async ({ page, playwright, baseURL }, testInfo) => {
  const email = uniqueEmail("conn");
  const api = await signUpViaApi(playwright, baseURL, { name: "Cora Conn", email });
  const created = await api.post("/api/v1/workspaces", { data: { name: "Connections Lab" } });
  const workspaceId = ((await created.json()) as { workspace: { id: string } }).workspace.id;
  // Reuse the API client's session cookie in the browser.
  await signIn(page, api);
  await api.dispose();

  await page.goto(`/w/${workspaceId}/connections`);
  await expect(page.getByRole("heading", { name: "No connections yet" })).toBeVisible();
  await page.getByRole("button", { name: "New connection" }).click();
  const dialog = page.getByRole("dialog", { name: "New connection" });
  await dialog.getByLabel("Name").fill("Local vLLM");
  await dialog.getByLabel("Provider").selectOption("openai_compatible");
  const secret = "sk-local-secret-1234567890";
  await dialog.getByLabel("API key").fill(secret);
  // The base URL is required for an OpenAI-compatible server: the server's message shows by the field.
  await dialog.getByRole("button", { name: "Create connection" }).click();
  await expect(dialog.getByText("An OpenAI-compatible connection needs a base URL")).toBeVisible();
  await dialog.getByLabel("Base URL").fill("https://llm.example.com/v1");
  await dialog.getByRole("button", { name: "Create connection" }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole("row", { name: /Local vLLM/ });
  await expect(row).toContainText("OpenAI-compatible");
  await expect(row).toContainText("https://llm.example.com/v1");
  expect(await page.content()).not.toContain(secret);

  await page.getByRole("button", { name: "Edit Local vLLM" }).click();
  const edit = page.getByRole("dialog", { name: "Edit Local vLLM" });
  await expect(edit.getByLabel("Replace API key")).toHaveValue("");
  await edit.getByLabel("Name").fill("Team vLLM");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByRole("row", { name: /Team vLLM/ })).toBeVisible();

  await snapshot(page, testInfo, "connections");

  await page.getByRole("button", { name: "Delete Team vLLM" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete Team vLLM?" });
  await confirm.getByRole("button", { name: "Delete connection" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole("heading", { name: "No connections yet" })).toBeVisible();
});
