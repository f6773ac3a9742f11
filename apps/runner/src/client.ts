import type { RunnerMessage } from "./messages";

/** A job as the server hands it out with a claim. */
export type ClaimedJob = {
  id: string;
  executionId: string;
  nodeId: string;
  iteration: string;
  attempt: number;
  idempotencyKey: string;
  blockType: string;
  payload: Record<string, unknown>;
  claims: number;
  /** Values of the step's `env` variables (sent with the claim only). */
  env: Record<string, string>;
};

export type JobResult =
  | { status: "completed"; output: Record<string, unknown> }
  | { status: "failed"; error: { code: string; message: string; retryable?: boolean }; output?: Record<string, unknown> };

/** The server refused the credential (unknown or revoked): the runner stops. */
export class UnauthorizedError extends Error {}
/** The job is no longer this runner's (re-queued after a missed heartbeat, or finished). */
export class LostClaimError extends Error {}
/** Any other refusal or a network failure. */
export class ServerError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

/** The runner protocol (`/api/v1/runner/...`) over HTTP(S), outbound only. */
export function createClient({ url, credential }: { url: string; credential: string }) {
  const base = url.replace(/\/+$/, "");
  async function call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${credential}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      throw new ServerError(`cannot reach ${base}: ${(error as Error).message}`, null);
    }
    const text = await res.text();
    if (res.status === 401) throw new UnauthorizedError(messageOf(text) ?? "the runner credential was refused");
    if (res.status === 409) throw new LostClaimError(messageOf(text) ?? "the step is no longer this runner's");
    if (!res.ok) throw new ServerError(`${method} ${path}: ${res.status} ${messageOf(text) ?? text.slice(0, 200)}`, res.status);
    return (text ? JSON.parse(text) : null) as T;
  }
  return {
    claim: async (waitMs: number, signal?: AbortSignal) => (await call<{ job: ClaimedJob | null }>("POST", "/api/v1/runner/jobs/claim", { waitMs }, signal)).job,
    heartbeat: (jobId: string) => call<{ cancel: boolean }>("POST", `/api/v1/runner/jobs/${jobId}/heartbeat`),
    logs: (jobId: string, seq: number, messages: RunnerMessage[]) => call<{ cancel: boolean; accepted: boolean }>("POST", `/api/v1/runner/jobs/${jobId}/logs`, { seq, messages }),
    result: (jobId: string, result: JobResult) => call<{ accepted: boolean; cancelled: boolean }>("POST", `/api/v1/runner/jobs/${jobId}/result`, result),
    waitCancel: (jobId: string, waitMs: number, signal?: AbortSignal) => call<{ cancel: boolean }>("GET", `/api/v1/runner/jobs/${jobId}/cancel?waitMs=${waitMs}`, undefined, signal),
  };
}
export type RunnerClient = ReturnType<typeof createClient>;

/** Trades a one-time registration token for a runner credential. */
export async function register(url: string, input: { token: string; name: string; labels: string[]; version: string; hostname: string }) {
  const res = await fetch(`${url.replace(/\/+$/, "")}/api/v1/runner/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(input),
  });
  const text = await res.text();
  if (res.status === 401) throw new UnauthorizedError(messageOf(text) ?? "the registration token was refused");
  if (!res.ok) throw new ServerError(`registration failed: ${res.status} ${messageOf(text) ?? text.slice(0, 200)}`, res.status);
  return JSON.parse(text) as { runner: { id: string; workspaceId: string; name: string; labels: string[] }; credential: string };
}

function messageOf(text: string): string | null {
  try {
    return (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? null;
  } catch {
    return null;
  }
}
