import { performance } from "node:perf_hooks";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { and, eq, flows, flowVersions, hitRateLimit, isNull, sql, variables, webhookInvocations, webhooks, type FlowExecution, type Webhook } from "@weft/db";
import type { Deps } from "../../lib/context";
import { AppError, errorBody } from "../../lib/errors";
import { createRun } from "../executions/create-run";
import { streamUrl } from "../executions/execution-access";
import { runVariables, type VariableRow } from "../variables/load-run-variables";
import { hashWebhookSecret, webhookSecretMatches } from "./secrets";
import { waitForRun } from "./wait-for-run";

export type WebhookRequest = {
  flowId: string;
  secret: string;
  method: string;
  url: URL;
  headers: Headers;
  /** The raw body, refused with PAYLOAD_TOO_LARGE past `maxBytes` (read once). */
  readBody: (maxBytes: number) => Promise<Uint8Array>;
};

export type WebhookResponse = { status: number; body: unknown; headers?: Record<string, string> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Compared against when there is no webhook, so a wrong flow id costs the same as a wrong secret. */
const NO_SECRET_HASH = hashWebhookSecret("no webhook here");
const RATE_WINDOW_MS = 60_000;
const MAX_IDEMPOTENCY_KEY = 255;

/** Headers never copied into the run: credentials and signatures. */
const REDACTED = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "webhook-signature", "x-hub-signature", "x-hub-signature-256", "stripe-signature"]);
const SECRET_LOOKING = /(token|secret|password|passwd|signature|api[-_]?key|auth)/i;
/**
 * Dropped: hop-by-hop and transport headers (noise in a run input), and headers in which proxies
 * repeat the request's URL, which holds the webhook secret.
 */
const DROPPED = new Set([
  "connection", "keep-alive", "transfer-encoding", "upgrade", "te", "trailer", "host", "content-length", "expect",
  "referer", "x-original-uri", "x-original-url", "x-forwarded-uri", "x-rewrite-url", "x-envoy-original-path", "x-forwarded-path",
]);

const notFoundResponse = (): WebhookResponse => ({ status: 404, body: errorBody(new AppError("NOT_FOUND", "Not found")) });
const fail = (error: AppError, headers?: Record<string, string>): WebhookResponse => ({ status: error.status, body: errorBody(error), headers });

/**
 * `POST /api/webhooks/{flowId}/{secret}`: the secret is the credential (404 for a wrong one, a
 * disabled webhook or a deleted flow, after the same work as a right one). Then, in order: the
 * per-flow rate limit (429, counted in the database so it holds across instances), the content type
 * (415), the size (413), the Standard Webhooks signature when the webhook requires one (401),
 * idempotency (`webhook-id`, else `Idempotency-Key`: a repeat answers with the first run), the body
 * against the Start block's input schema (400 naming `body.<field>`), and the run: 202 with its ids,
 * or in sync mode the sink output once it ends (202 with the ids when it takes longer than the
 * webhook's timeout). Every call that got past the secret is logged.
 */
export async function receiveWebhook(deps: Deps, request: WebhookRequest): Promise<WebhookResponse> {
  const started = performance.now();
  const validId = UUID.test(request.flowId);
  // The webhook, its flow, the flow's published graph and (for a run this process starts) the
  // workspace's variables in one statement: createRun and the engine read none of them again.
  const local = deps.engine !== undefined;
  const [row] = await deps.db
    .select({
      webhook: webhooks,
      flow: flows,
      version: { id: flowVersions.id, nodes: flowVersions.nodes, edges: flowVersions.edges },
      variables: local
        ? sql<VariableRow[]>`(select coalesce(json_agg(json_build_object('name', v.name, 'secret', v.secret, 'value', v.value, 'valueCiphertext', v.value_ciphertext)), '[]'::json) from ${variables} v where v.workspace_id = ${webhooks.workspaceId})`
        : sql<null>`null`,
    })
    .from(webhooks)
    .innerJoin(flows, and(eq(flows.id, webhooks.flowId), isNull(flows.deletedAt)))
    .leftJoin(flowVersions, and(eq(flowVersions.flowId, flows.id), eq(flowVersions.version, flows.publishedVersion)))
    .where(eq(webhooks.flowId, validId ? request.flowId : "00000000-0000-0000-0000-000000000000"));
  const matches = webhookSecretMatches(row?.webhook.secretHash ?? NO_SECRET_HASH, request.secret);
  if (!row || !matches || !row.webhook.enabled) return notFoundResponse();
  const webhook = row.webhook;

  let bytes = 0;
  const log = async (response: WebhookResponse, extra: { executionId?: string | null; deduplicated?: boolean } = {}) => {
    const error = response.status >= 400 ? ((response.body as { error?: { message?: string } }).error?.message ?? null) : null;
    if (error !== null) {
      // Refusals are logged up to the webhook's rate per minute: whoever holds only the URL cannot
      // grow the log without bound.
      const refusals = await hitRateLimit(deps.db, `webhook-refusals:${webhook.id}`, RATE_WINDOW_MS, deps.now());
      if (refusals.count > webhook.rateLimitPerMinute) return response;
    }
    await deps.db.insert(webhookInvocations).values({
      workspaceId: webhook.workspaceId,
      webhookId: webhook.id,
      flowId: webhook.flowId,
      executionId: extra.executionId ?? null,
      deduplicated: extra.deduplicated ?? false,
      statusCode: response.status,
      latencyMs: Math.round(performance.now() - started),
      requestBytes: bytes,
      error,
    });
    return response;
  };

  const kind = bodyKind(request.headers.get("content-type"));
  if (kind === "unsupported") {
    return log(fail(new AppError("UNSUPPORTED_MEDIA_TYPE", "Send JSON (application/json), a form (application/x-www-form-urlencoded) or text (text/*)")));
  }
  let raw: Uint8Array;
  try {
    raw = await request.readBody(webhook.maxBodyBytes);
  } catch (error) {
    if (error instanceof AppError) return log(fail(error));
    throw error;
  }
  bytes = raw.byteLength;
  const text = new TextDecoder().decode(raw);
  if (kind === "none" && text.length > 0) {
    return log(fail(new AppError("UNSUPPORTED_MEDIA_TYPE", "Say what the body is with a Content-Type header (JSON, form or text)")));
  }

  if (webhook.signingSecretsCiphertext.length > 0) {
    const problem = verifySignature(deps, webhook, request.headers, Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
    if (problem) return log(fail(new AppError("UNAUTHORIZED", problem)));
  }

  // Counted once the caller proved it may send (secret, and signature when required). A request that
  // will start a run is counted in the transaction that starts it (below); any other here.
  const rateLimited = (limit: { count: number; resetAt: Date }) => {
    if (limit.count <= webhook.rateLimitPerMinute) return null;
    const retryAfter = Math.max(1, Math.ceil((limit.resetAt.getTime() - deps.now().getTime()) / 1000));
    return fail(new AppError("TOO_MANY_REQUESTS", `This webhook accepts ${webhook.rateLimitPerMinute} requests per minute; retry in ${retryAfter} s`), {
      "Retry-After": String(retryAfter),
    });
  };

  let body: unknown;
  let refusal: WebhookResponse | null = null;
  try {
    body = parseBody(kind, text);
  } catch {
    refusal = fail(new AppError("BAD_REQUEST", "body: not valid JSON", { path: "body" }));
  }

  const idempotencyKey = request.headers.get("webhook-id") ?? request.headers.get("idempotency-key");
  if (!refusal && idempotencyKey !== null && (idempotencyKey.length === 0 || idempotencyKey.length > MAX_IDEMPOTENCY_KEY)) {
    refusal = fail(new AppError("BAD_REQUEST", `Idempotency key: 1 to ${MAX_IDEMPOTENCY_KEY} characters`, { path: "idempotency-key" }));
  }
  if (refusal) {
    const limited = rateLimited(await hitRateLimit(deps.db, `webhook:${webhook.id}`, RATE_WINDOW_MS, deps.now()));
    return log(limited ?? refusal);
  }

  const trigger = {
    type: "webhook",
    method: request.method,
    body,
    query: redactSecret(redactQuery(queryObject(request.url.searchParams)), request.secret),
    headers: redactSecret(selectedHeaders(request.headers), request.secret),
    receivedAt: deps.now().toISOString(),
  };

  // One transaction: the rate limit, the run and the invocation row, which claims the idempotency key
  // (so a key is never taken by a request that started nothing; a concurrent duplicate waits on the
  // key's unique index until the first commits, then finds it). When this process runs an engine, the
  // run is created running with its lease (direct dispatch) and started once this commits.
  const start = deps.engine?.lease() ?? null;
  const sync = webhook.responseMode === "sync";
  let started_: { invocationId: string; execution: FlowExecution } | null;
  try {
    started_ = await deps.db.transaction(async (tx) => {
      const limited = rateLimited(await hitRateLimit(tx, `webhook:${webhook.id}`, RATE_WINDOW_MS, deps.now()));
      if (limited) throw new Refused(limited);
      const published = row.version?.id ? { graph: { nodes: row.version.nodes, edges: row.version.edges }, flowVersionId: row.version.id } : null;
      const execution = await createRun(deps, {
        workspaceId: webhook.workspaceId,
        flowId: webhook.flowId,
        input: webhookRunInput(body, trigger),
        triggerType: "webhook",
        inputAt: "body",
        tx,
        flow: row.flow,
        published,
        start,
      });
      const [invocation] = await tx
        .insert(webhookInvocations)
        .values({
          workspaceId: webhook.workspaceId,
          webhookId: webhook.id,
          flowId: webhook.flowId,
          idempotencyKey,
          executionId: execution.id,
          requestBytes: bytes,
          // Written once: an async call is answered 202 right after this commits; a sync call's answer
          // is its run's end (see WebhookInvocation.awaitsRun), written here only if it times out.
          statusCode: 202,
          latencyMs: sync ? null : Math.round(performance.now() - started),
          awaitsRun: sync,
        })
        .onConflictDoNothing()
        .returning({ id: webhookInvocations.id });
      // A repeat: nothing of this request is kept (the rollback takes the run back).
      if (!invocation) throw new Refused(null);
      return { invocationId: invocation.id, execution };
    });
  } catch (error) {
    if (error instanceof Refused) {
      if (error.response) return log(error.response);
      started_ = null;
    } else if (error instanceof AppError) {
      // Logged without the key: a request that started nothing must not use it up.
      return log(fail(error));
    } else {
      throw error;
    }
  }
  if (started_ && start) void deps.engine!.adopt(started_.execution, row.variables ? runVariables(deps, row.variables) : undefined);

  if (!started_) {
    const [first] = await deps.db
      .select({ executionId: webhookInvocations.executionId })
      .from(webhookInvocations)
      .where(and(eq(webhookInvocations.webhookId, webhook.id), eq(webhookInvocations.idempotencyKey, idempotencyKey!)));
    const response = first?.executionId
      ? await respond(deps, webhook, first.executionId)
      : fail(new AppError("CONFLICT", "A request with this idempotency key was already received, and its run is gone"));
    return log(response, { executionId: first?.executionId ?? null, deduplicated: true });
  }

  const response = await respond(deps, webhook, started_.execution.id);
  if (sync && response.status === 202) {
    // The run outlived the sync timeout: the caller got 202, whatever the run does later.
    await deps.db
      .update(webhookInvocations)
      .set({ statusCode: 202, latencyMs: Math.round(performance.now() - started), awaitsRun: false })
      .where(eq(webhookInvocations.id, started_.invocationId));
  }
  return response;
}

/** Leaves the start transaction without keeping anything: a refusal to answer, or (null) a repeated key. */
class Refused extends Error {
  constructor(readonly response: WebhookResponse | null) {
    super("refused");
  }
}

/** 202 with the ids; in sync mode, the run's output when it ends within the webhook's timeout. */
async function respond(deps: Deps, webhook: Webhook, executionId: string): Promise<WebhookResponse> {
  const ids = { executionId, statusUrl: `/api/v1/executions/${executionId}`, streamUrl: streamUrl(executionId) };
  const idHeader = { "Webhook-Execution-Id": executionId };
  if (webhook.responseMode !== "sync") return { status: 202, body: ids, headers: idHeader };
  const end = await waitForRun(deps, executionId, webhook.syncTimeoutMs);
  if (!end) return { status: 202, body: { ...ids, status: "running" }, headers: idHeader };
  if (end.status === "completed") return { status: 200, body: end.output ?? null, headers: idHeader };
  // The flow's own failure, not the server's: said plainly, without the flow's internals.
  return {
    status: 500,
    body: { error: { code: "EXECUTION_FAILED", message: `The run ${end.status === "cancelled" ? "was cancelled" : "failed"}`, executionId } },
    headers: idHeader,
  };
}

/**
 * A webhook run's input: the body's fields (a JSON object or a form) plus `trigger`, so `{{ input.x }}`
 * reads the same field whether the flow was started by hand or by its webhook, and the Start block's
 * input schema checks the body (a body's own `trigger` field is shadowed by the trigger).
 */
export function webhookRunInput(body: unknown, trigger: Record<string, unknown>): Record<string, unknown> {
  const fields = body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  return { ...fields, trigger };
}

type BodyKind = "json" | "form" | "text" | "none" | "unsupported";

function bodyKind(contentType: string | null): BodyKind {
  if (!contentType) return "none";
  const mime = contentType.split(";")[0]!.trim().toLowerCase();
  if (mime === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(mime)) return "json";
  if (mime === "application/x-www-form-urlencoded") return "form";
  if (mime.startsWith("text/")) return "text";
  return "unsupported";
}

function parseBody(kind: BodyKind, text: string): unknown {
  if (text.length === 0) return null;
  if (kind === "json") return JSON.parse(text) as unknown;
  if (kind === "form") return queryObject(new URLSearchParams(text));
  return text;
}

/** Repeated names become arrays. */
function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of params) {
    const previous = out[key];
    out[key] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return out;
}

function selectedHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (DROPPED.has(name)) continue;
    out[name] = REDACTED.has(name) || SECRET_LOOKING.test(name) ? "[redacted]" : value;
  }
  return out;
}

/** Query parameters whose names look like credentials (`?token=`, `?api_key=`). */
function redactQuery(query: Record<string, string | string[]>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(query).map(([key, value]) => [key, SECRET_LOOKING.test(key) ? "[redacted]" : value]));
}

/** The URL secret never reaches a run, wherever a client or proxy repeated it. */
function redactSecret<T extends Record<string, string | string[]>>(values: T, secret: string): T {
  const clean = (value: string) => (secret.length > 0 && value.includes(secret) ? value.split(secret).join("[redacted]") : value);
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Array.isArray(value) ? value.map(clean) : clean(value)])) as T;
}

/** Null when one of the webhook's signing secrets signed this body (Standard Webhooks), else why not. */
function verifySignature(deps: Deps, webhook: Webhook, headers: Headers, body: Buffer): string | null {
  const id = headers.get("webhook-id");
  const timestamp = headers.get("webhook-timestamp");
  const signature = headers.get("webhook-signature");
  if (!id || !timestamp || !signature) return "This webhook requires signed requests: send webhook-id, webhook-timestamp and webhook-signature";
  let reason = "The signature does not match";
  for (const ciphertext of webhook.signingSecretsCiphertext) {
    try {
      // Over the exact bytes received, whatever the content type (the library would parse JSON otherwise).
      new StandardWebhook(deps.secrets.decrypt(ciphertext)).verify(body, { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature }, { jsonParse: false });
      return null;
    } catch (error) {
      const message = error instanceof Error ? error.message : "";
      // The timestamp check is the same for every secret: say so rather than "does not match".
      if (/timestamp/i.test(message)) return "The webhook-timestamp is more than 5 minutes away from now";
      reason = "The signature does not match";
    }
  }
  return reason;
}
