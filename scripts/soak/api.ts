/**
 * The soak's client of the public REST API: an account (local sign-up), a workspace and an admin API
 * key, then flows, runs and approval decisions with `Authorization: Bearer <key>`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

async function call<T>(base: string, method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<{ body: T; res: Response }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(init.body !== undefined ? { "content-type": "application/json" } : {}), ...init.headers },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    signal: AbortSignal.timeout(init.timeoutMs ?? 15_000),
  });
  const text = await res.text();
  if (!res.ok) throw new ApiError(res.status, `${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return { body: (text ? JSON.parse(text) : {}) as T, res };
}

export type SoakApi = {
  workspaceId: string;
  createFlow: (name: string, graph: { nodes: unknown[]; edges: unknown[] }) => Promise<string>;
  execute: (flowId: string, input: unknown) => Promise<string>;
  pausedExecutions: () => Promise<string[]>;
  approve: (executionId: string) => Promise<void>;
};

/** Signs up, creates a workspace and an admin API key; everything after uses the key. */
export async function connectApi(base: string): Promise<SoakApi> {
  const email = `soak-${Date.now()}@soak.test`;
  const { res } = await call<Json>(base, "POST", "/api/auth/sign-up", { body: { email, password: "soak-password-1234", name: "Soak" } });
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const { body: created } = await call<{ workspace: { id: string } }>(base, "POST", "/api/v1/workspaces", { body: { name: "Soak" }, headers: { cookie } });
  const workspaceId = created.workspace.id;
  const { body: apiKey } = await call<{ key: string }>(base, "POST", `/api/v1/workspaces/${workspaceId}/api-keys`, {
    body: { name: "soak", role: "admin" },
    headers: { cookie },
  });
  const auth = { authorization: `Bearer ${apiKey.key}` };
  return {
    workspaceId,
    createFlow: async (name, graph) =>
      (await call<{ flow: { id: string } }>(base, "POST", "/api/v1/flows", { body: { name, ...graph }, headers: auth })).body.flow.id,
    execute: async (flowId, input) =>
      (await call<{ executionId: string }>(base, "POST", `/api/v1/flows/${flowId}/execute`, { body: { input }, headers: auth })).body.executionId,
    pausedExecutions: async () =>
      (await call<{ items: Array<{ id: string }> }>(base, "GET", "/api/v1/executions?status=paused&limit=100", { headers: auth })).body.items.map((e) => e.id),
    approve: async (executionId) => {
      await call<Json>(base, "POST", `/api/v1/executions/${executionId}/approve`, { body: { comment: "soak" }, headers: auth });
    },
  };
}
