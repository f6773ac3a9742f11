import type { Actor, Deps } from "../../lib/context";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import type { ConnectionView } from "./connection-view";
import { getConnectionSecret } from "./get-connection";
import { ConnectionIdInput } from "./schemas";

export type ConnectionTestResult = {
  ok: boolean;
  /** The provider's HTTP status, when it answered. */
  status?: number;
  latencyMs: number;
  message: string;
};

const TIMEOUT_MS = 10_000;

/**
 * Calls the provider's model list with the stored key, through the guarded (SSRF-safe) client, and
 * reports whether the key works. The key is never part of the answer; a refused address (private
 * network, metadata service) comes back as `ok: false` with the guard's message.
 */
export async function testConnection(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<ConnectionTestResult> {
  requireRole(actor.role, "member");
  const { connectionId } = parseInput(ConnectionIdInput, input);
  const connection = await getConnectionSecret(deps, { workspaceId: actor.workspaceId, connectionId });
  const { url, headers } = modelsRequest(connection);
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  let response: Response;
  try {
    response = await deps.fetch(url, { method: "GET", headers, redirect: "error", signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    return { ok: false, latencyMs: latency(), message: describeFailure(error) };
  }
  // Only the status is used: some providers echo part of the key in their error bodies.
  await response.body?.cancel().catch(() => undefined);
  const latencyMs = latency();
  const { status } = response;
  if (response.ok) return { ok: true, status, latencyMs, message: `Connected to ${new URL(url).host} (HTTP ${status})` };
  const message =
    status === 401 || status === 403
      ? `The provider rejected the API key (HTTP ${status})`
      : status === 404
        ? `No model list at ${url} (HTTP 404): check the base URL`
        : status === 429
          ? "The provider is rate limiting this key (HTTP 429); the key itself may be fine"
          : `The provider answered HTTP ${status}`;
  return { ok: false, status, latencyMs, message };
}

function modelsRequest(connection: ConnectionView & { apiKey: string }): { url: string; headers: Record<string, string> } {
  const base = connection.baseUrl?.replace(/\/+$/, "");
  if (connection.provider === "anthropic") {
    return {
      url: `${base ?? "https://api.anthropic.com"}/v1/models`,
      headers: { "x-api-key": connection.apiKey, "anthropic-version": "2023-06-01" },
    };
  }
  return { url: `${base ?? "https://api.openai.com/v1"}/models`, headers: { authorization: `Bearer ${connection.apiKey}` } };
}

/** The guarded client's own errors (SSRF_BLOCKED, HTTP_TIMEOUT, ...): their messages are written for users. */
const guardCodes = new Set(["SSRF_BLOCKED", "HTTP_INVALID_URL", "HTTP_TIMEOUT", "HTTP_RESPONSE_TOO_LARGE", "HTTP_TOO_MANY_REDIRECTS", "HTTP_NETWORK"]);

function describeFailure(error: unknown): string {
  if (error instanceof Error && guardCodes.has(String((error as { code?: unknown }).code))) return error.message;
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `The provider did not answer within ${TIMEOUT_MS / 1000} s`;
  }
  return "Could not reach the provider";
}
