import { expect, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";

// Helpers shared by the specs that set up runs through the REST API.

export const PASSWORD = "correct horse battery staple";

type GraphNode = { id: string; type: string; position: { x: number; y: number }; data: Record<string, unknown> };
export const node = (id: string, type: string, config: Record<string, unknown> = {}, position = { x: 0, y: 0 }): GraphNode => ({
  id,
  type,
  position,
  data: { config },
});
export const edge = (source: string, target: string, sourceHandle?: string) => ({
  id: `${source}->${target}${sourceHandle ? `:${sourceHandle}` : ""}`,
  source,
  target,
  ...(sourceHandle ? { sourceHandle } : {}),
});

export function uniqueEmail(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** A full-page screenshot attached to the test's report. */
export async function snapshot(page: Page, testInfo: TestInfo, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

type Playwright = { request: { newContext(options: { baseURL?: string }): Promise<APIRequestContext> } };

/** A new user (own cookie jar) with a new workspace. */
export async function ownerWithWorkspace(playwright: Playwright, baseURL: string | undefined, name: string) {
  const api = await playwright.request.newContext({ baseURL });
  const email = uniqueEmail("exec");
  const signUp = await api.post("/api/auth/sign-up", { data: { name, email, password: PASSWORD } });
  expect(signUp.status(), await signUp.text()).toBe(201);
  const created = await api.post("/api/v1/workspaces", { data: { name: `${name}'s runs` } });
  expect(created.status(), await created.text()).toBe(201);
  const workspaceId = ((await created.json()) as { workspace: { id: string } }).workspace.id;
  return { api, workspaceId };
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
