import { expect, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";

// Helpers shared by the specs: users, workspaces, flows and runs set up through the REST API, the
// session handed to the page, waiting for a run's status, and screenshots for the report. The
// builder's own locators are in builder.ts.

export const PASSWORD = "correct horse battery staple";

type GraphNode = { id: string; type: string; position: { x: number; y: number }; data: Record<string, unknown> };
export const at = (x: number, y: number) => ({ x, y });
/** A graph node; `data` adds to its config (a block's `label`, a `phase`). */
export const node = (id: string, type: string, config: Record<string, unknown> = {}, position = at(0, 0), data: { label?: string; phase?: string } = {}): GraphNode => ({
  id,
  type,
  position,
  data: { ...data, config },
});
export const edge = (source: string, target: string, sourceHandle?: string) => ({
  id: `${source}->${target}${sourceHandle ? `:${sourceHandle}` : ""}`,
  source,
  target,
  ...(sourceHandle ? { sourceHandle } : {}),
});

/** The header that picks the workspace of a REST call. */
export const inWorkspace = (workspaceId: string) => ({ "x-weft-workspace": workspaceId });

export function uniqueEmail(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** Signs up in the browser (the sign-up page); the app goes on to onboarding. */
export async function signUpInBrowser(page: Page, { name, email }: { name: string; email: string }) {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-up$/);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
}

/** A full-page screenshot attached to the test's report. */
export async function snapshot(page: Page, testInfo: TestInfo, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

type Playwright = { request: { newContext(options: { baseURL?: string }): Promise<APIRequestContext> } };

/** A new API client with its own cookie jar, signed up as a new user. */
export async function signUpViaApi(playwright: Playwright, baseURL: string | undefined, { name, email }: { name: string; email: string }) {
  const api = await playwright.request.newContext({ baseURL });
  const response = await api.post("/api/auth/sign-up", { data: { name, email, password: PASSWORD } });
  expect(response.status(), await response.text()).toBe(201);
  return api;
}

/** A new user (own cookie jar) added by the owner (`api`) to the workspace with `role`. */
export async function memberOf(playwright: Playwright, baseURL: string | undefined, owner: APIRequestContext, workspaceId: string, name: string, role: "viewer" | "member" | "admin") {
  const email = uniqueEmail(role);
  const api = await signUpViaApi(playwright, baseURL, { name, email });
  const invited = await owner.post(`/api/v1/workspaces/${workspaceId}/members`, { data: { email, role } });
  expect(invited.status(), await invited.text()).toBe(201);
  return api;
}

/** A new user (own cookie jar) with a new workspace. */
export async function ownerWithWorkspace(playwright: Playwright, baseURL: string | undefined, name: string) {
  const api = await signUpViaApi(playwright, baseURL, { name, email: uniqueEmail("exec") });
  const created = await api.post("/api/v1/workspaces", { data: { name: `${name}'s runs` } });
  expect(created.status(), await created.text()).toBe(201);
  const workspaceId = ((await created.json()) as { workspace: { id: string } }).workspace.id;
  return { api, workspaceId };
}

/** The page's browser signs in as the user of `api` (its session cookie). */
export async function signIn(page: Page, api: APIRequestContext) {
  await page.context().addCookies((await api.storageState()).cookies);
}

/** A new owner with a new workspace whose session the page uses too. */
export async function signedInOwner(page: Page, playwright: Playwright, baseURL: string | undefined, name: string) {
  const owner = await ownerWithWorkspace(playwright, baseURL, name);
  await signIn(page, owner.api);
  return owner;
}

export async function createFlow(api: APIRequestContext, workspaceId: string, name: string, graph: { nodes: unknown[]; edges: unknown[] }) {
  const response = await api.post("/api/v1/flows", { headers: { "x-weft-workspace": workspaceId }, data: { name, ...graph } });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { flow: { id: string } }).flow.id;
}

export async function execute(api: APIRequestContext, workspaceId: string, flowId: string, input: unknown) {
  const response = await api.post(`/api/v1/flows/${flowId}/execute`, { headers: { "x-weft-workspace": workspaceId }, data: { input } });
  expect(response.status(), await response.text()).toBe(202);
  return ((await response.json()) as { executionId: string }).executionId;
}

type StoredFlow = {
  name: string;
  version: number;
  nodes: { id: string; type: string; position: { x: number; y: number }; data: { config?: Record<string, unknown> } }[];
  edges: { source: string; target: string; sourceHandle?: string | null }[];
};

/** The flow as stored (its draft), read through the REST API. */
export async function storedFlow(api: APIRequestContext, workspaceId: string, flowId: string): Promise<StoredFlow> {
  const response = await api.get(`/api/v1/flows/${flowId}`, { headers: inWorkspace(workspaceId) });
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { flow: StoredFlow }).flow;
}

/** A run as the REST API returns it. */
export async function execution(api: APIRequestContext, workspaceId: string, executionId: string) {
  const response = await api.get(`/api/v1/executions/${executionId}`, { headers: inWorkspace(workspaceId) });
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as { status: string; output?: unknown; flowId: string };
}

/** Waits until the run's status is one of `statuses` (by default: it ended, completed or failed). */
export async function waitForStatus(api: APIRequestContext, workspaceId: string, executionId: string, statuses: string | string[] = ["completed", "failed"]) {
  const wanted = new RegExp(`^(${[statuses].flat().join("|")})$`);
  await expect.poll(async () => (await execution(api, workspaceId, executionId)).status, { timeout: 30_000 }).toMatch(wanted);
}
