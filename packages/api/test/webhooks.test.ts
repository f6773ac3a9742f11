import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, createDatabase, createNotifyBus, eq, flowExecutions, flows, sql, webhookInvocations, webhooks, type DatabaseHandle } from "@weft/db";
import { createExecutionStore } from "@weft/engine";
import { createTestEngine, edge, node } from "@weft/engine/testing";
import { createLocalAuthenticator } from "../src/auth/local";
import type { Deps } from "../src/lib/context";
import { createRestApp } from "../src/rest/app";
import { callerFor, createTestApi, type TestApi } from "../src/testing";
import { expectTrpcError, restClient, signUpUser, type ErrorBody, type SignedUpUser } from "./support";

/**
 * Flow webhooks (issue 6): the secret URL, Standard Webhooks signatures, idempotency under concurrent
 * duplicates, size/type/rate limits (the rate limit also across two server instances), async and sync
 * response modes, the trigger payload, the invocation log, roles and tenancy. Requests go over real
 * HTTP to the real REST app on 127.0.0.1, with a real engine running the flows on the same database.
 */

type Graph = { nodes: unknown[]; edges: unknown[] };
type Configured = { webhook: Record<string, unknown>; path?: string; signingSecret?: string };
type Accepted = { executionId: string; statusUrl: string; streamUrl: string; status?: string };

let api: TestApi;
let t: Awaited<ReturnType<typeof createTestEngine>>;
let rest: ReturnType<typeof restClient>;
let server: ServerType;
let base: string;
let owner: SignedUpUser;
let viewer: SignedUpUser;
let other: SignedUpUser;
let ws: string;
let wsOther: string;

/** Echoes what the run got from the trigger. */
const echo: Graph = {
  nodes: [node("in", "source"), node("echo", "function", { code: "return { body: input.trigger.body, query: input.trigger.query, method: input.trigger.method };" }), node("out", "sink")],
  edges: [edge("in", "echo"), edge("echo", "out")],
};
const slow: Graph = {
  nodes: [node("in", "source"), node("wait", "delay", { ms: 3_000 }), node("out", "sink")],
  edges: [edge("in", "wait"), edge("wait", "out")],
};
const failing: Graph = {
  nodes: [node("in", "source"), node("boom", "function", { code: "throw new Error('internal detail 42')" }), node("out", "sink")],
  edges: [edge("in", "boom"), edge("boom", "out")],
};

async function insertFlow(workspaceId: string, graph: Graph, name = "Hooked"): Promise<string> {
  const [row] = await api.deps.db.insert(flows).values({ workspaceId, name, nodes: graph.nodes, edges: graph.edges }).returning({ id: flows.id });
  return row!.id;
}

async function configure(flowId: string, body: Record<string, unknown> = {}, cookie = owner.cookie) {
  return rest<Configured>("POST", `/api/v1/flows/${flowId}/webhook`, { headers: { cookie }, body });
}

/** A flow with a webhook: its id and secret path. */
async function hooked(graph: Graph = echo, settings: Record<string, unknown> = {}) {
  const flowId = await insertFlow(ws, graph);
  const res = await configure(flowId, settings);
  expect(res.status, res.text).toBe(200);
  return { flowId, path: res.body.path!, signingSecret: res.body.signingSecret };
}

type Sent = { status: number; headers: Headers; text: string; body: unknown };
async function send(path: string, init: { body?: string | Uint8Array; contentType?: string | null; headers?: Record<string, string>; url?: string } = {}): Promise<Sent> {
  const headers: Record<string, string> = { ...(init.contentType === null ? {} : { "content-type": init.contentType ?? "application/json" }), ...init.headers };
  const payload = typeof init.body === "string" || init.body === undefined ? (init.body ?? "{}") : new Blob([init.body as Uint8Array<ArrayBuffer>]);
  const res = await fetch(`${init.url ?? base}${path}`, { method: "POST", headers, body: payload });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, text, body };
}

function listen(deps: Deps): Promise<{ server: ServerType; url: string }> {
  const app = createRestApp({ deps, authenticator: createLocalAuthenticator(deps) });
  return new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) => resolve({ server: s, url: `http://127.0.0.1:${info.port}` }));
  });
}
const close = (s: ServerType) => new Promise<void>((resolve) => s.close(() => resolve()));

/** The webhook log of a flow as the API lists it (newest first). */
async function invocationsOf(flowId: string) {
  const list = await rest<{ items: Array<{ statusCode: number; latencyMs: number | null; executionId: string | null }> }>("GET", `/api/v1/flows/${flowId}/webhook/invocations`, {
    headers: { cookie: owner.cookie },
  });
  expect(list.status).toBe(200);
  return list.body.items;
}

async function executionsOf(flowId: string) {
  return api.deps.db.select().from(flowExecutions).where(eq(flowExecutions.flowId, flowId));
}

beforeAll(async () => {
  api = await createTestApi({ now: () => new Date() });
  t = await createTestEngine(api.database);
  await t.engine.start();
  // As `npm start` wires it: the runs a webhook creates start in this process at once (direct
  // dispatch) and a sync webhook waits for them in-process. (The second instance below has none.)
  api.deps.engine = t.engine;
  rest = restClient(api);
  ({ server, url: base } = await listen(api.deps));
  [owner, viewer, other] = [await signUpUser(api, "HookOwner"), await signUpUser(api, "HookViewer"), await signUpUser(api, "HookOther")];
  ws = (await callerFor(api.deps, owner.user).workspaces.create({ name: "Hooks" })).id;
  wsOther = (await callerFor(api.deps, other.user).workspaces.create({ name: "Elsewhere" })).id;
  await callerFor(api.deps, owner.user).members.invite({ workspaceId: ws, email: viewer.user.email, role: "viewer" });
});
afterAll(async () => {
  if (server) await close(server);
  await t?.engine.stop();
  await api?.close();
});

describe("the secret URL", () => {
  it("answers 202 to the right secret and 404 to a wrong one, a rotated-away one and a disabled webhook; only the hash is stored", async () => {
    const { flowId, path } = await hooked();
    const secret = path.split("/").pop()!;
    expect(path).toBe(`/api/webhooks/${flowId}/${secret}`);
    expect(Buffer.from(secret, "base64url").length).toBeGreaterThanOrEqual(16);

    const [stored] = await api.deps.db.select().from(webhooks).where(eq(webhooks.flowId, flowId));
    expect(stored!.secretHash).not.toContain(secret);
    expect(JSON.stringify(stored)).not.toContain(secret);
    const read = await rest("GET", `/api/v1/flows/${flowId}/webhook`, { headers: { cookie: owner.cookie } });
    expect(read.status).toBe(200);
    expect(read.text).not.toContain(secret);

    const ok = await send(path, { body: JSON.stringify({ hello: "world" }) });
    expect(ok.status, ok.text).toBe(202);
    const accepted = ok.body as Accepted;
    expect(accepted).toEqual({
      executionId: accepted.executionId,
      statusUrl: `/api/v1/executions/${accepted.executionId}`,
      streamUrl: `/api/v1/executions/${accepted.executionId}/stream`,
    });
    const done = await t.waitFor(accepted.executionId, ["completed", "failed"]);
    expect(done.execution.triggerType).toBe("webhook");
    expect(done.execution.output).toEqual({ body: { hello: "world" }, query: {}, method: "POST" });

    const notFound = { error: { code: "NOT_FOUND", message: "Not found" } };
    const wrong = await send(`/api/webhooks/${flowId}/${secret.slice(0, -2)}xx`);
    expect([wrong.status, wrong.body]).toEqual([404, notFound]);
    const otherFlow = await send(`/api/webhooks/${await insertFlow(ws, echo)}/${secret}`);
    expect([otherFlow.status, otherFlow.body]).toEqual([404, notFound]);
    const notAUuid = await send(`/api/webhooks/not-a-flow/${secret}`);
    expect([notAUuid.status, notAUuid.body]).toEqual([404, notFound]);

    const rotated = await configure(flowId, { rotate: true });
    expect(rotated.status).toBe(200);
    expect(rotated.body.path).not.toBe(path);
    expect((await send(path)).status).toBe(404);
    expect((await send(rotated.body.path!)).status).toBe(202);

    expect((await configure(flowId, { enabled: false })).body.path).toBeUndefined();
    expect((await send(rotated.body.path!)).status).toBe(404);
    await configure(flowId, { enabled: true });
    expect((await send(rotated.body.path!)).status).toBe(202);

    // Wrong secrets are not logged (nobody proved they may write to this flow's log).
    const [logged] = await api.deps.db.select({ n: count() }).from(webhookInvocations).where(eq(webhookInvocations.flowId, flowId));
    expect(logged!.n).toBe(3);
  });

  it("answers 404 for a deleted flow's webhook", async () => {
    const { flowId, path } = await hooked();
    await callerFor(api.deps, owner.user).flows.delete({ workspaceId: ws, flowId });
    expect((await send(path)).status).toBe(404);
  });
});

describe("the trigger payload", () => {
  it("gives the run the body, the query and the headers, with credentials redacted", async () => {
    const { path } = await hooked();
    const res = await send(`${path}?page=2&tag=a&tag=b&token=top-secret`, {
      body: JSON.stringify({ order: 7 }),
      headers: {
        authorization: "Bearer top-secret",
        cookie: "s=top-secret",
        "x-api-key": "top-secret",
        "x-shop-token": "top-secret",
        "x-request-source": "shop",
        // Proxies repeat the URL (and with it the webhook secret) in headers like these.
        "x-original-uri": path,
        referer: `https://proxy.example${path}`,
        "x-trace": `seen ${path.split("/").pop()!}`,
      },
    });
    expect(res.status).toBe(202);
    const { executionId } = res.body as Accepted;
    await t.waitFor(executionId, ["completed"]);
    const [execution] = await api.deps.db.select().from(flowExecutions).where(eq(flowExecutions.id, executionId));
    const trigger = (execution!.input as { trigger: { body: unknown; query: unknown; headers: Record<string, string> } }).trigger;
    expect(trigger.body).toEqual({ order: 7 });
    expect(trigger.query).toEqual({ page: "2", tag: ["a", "b"], token: "[redacted]" });
    expect(trigger.headers["x-original-uri"]).toBeUndefined();
    expect(trigger.headers.referer).toBeUndefined();
    expect(trigger.headers["x-trace"]).toBe("seen [redacted]");
    expect(JSON.stringify(execution)).not.toContain(path.split("/").pop()!);
    expect(trigger.headers["x-request-source"]).toBe("shop");
    expect(trigger.headers.authorization).toBe("[redacted]");
    expect(trigger.headers["x-shop-token"]).toBe("[redacted]");
    expect(JSON.stringify(execution)).not.toContain("top-secret");
    expect(JSON.stringify(await t.store.events(executionId))).not.toContain("top-secret");
  });

  it("parses forms and keeps text as text", async () => {
    const { path } = await hooked();
    const form = await send(path, { body: "a=1&b=two&b=three", contentType: "application/x-www-form-urlencoded" });
    expect(form.status).toBe(202);
    const formRun = await t.waitFor((form.body as Accepted).executionId, ["completed"]);
    expect((formRun.execution.output as { body: unknown }).body).toEqual({ a: "1", b: ["two", "three"] });
    const text = await send(path, { body: "plain words", contentType: "text/plain; charset=utf-8" });
    expect(text.status).toBe(202);
    const textRun = await t.waitFor((text.body as Accepted).executionId, ["completed"]);
    expect((textRun.execution.output as { body: unknown }).body).toBe("plain words");
  });
});

describe("Standard Webhooks signatures", () => {
  const sign = (secret: string, body: string, { id = `msg_${Math.random().toString(36).slice(2)}`, at = new Date() } = {}) => ({
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new StandardWebhook(secret).sign(id, at, body),
  });

  it("accepts a valid signature and refuses tampered bodies, wrong secrets, stale timestamps and missing headers", async () => {
    const { flowId, path, signingSecret } = await hooked(echo, { signing: "generate" });
    expect(signingSecret).toMatch(/^whsec_/);
    const body = JSON.stringify({ paid: true });

    const valid = await send(path, { body, headers: sign(signingSecret!, body) });
    expect(valid.status, valid.text).toBe(202);

    const tampered = await send(path, { body: JSON.stringify({ paid: false }), headers: sign(signingSecret!, body) });
    expect([tampered.status, (tampered.body as ErrorBody).error.message]).toEqual([401, "The signature does not match"]);

    const wrongSecret = await send(path, { body, headers: sign(`whsec_${Buffer.alloc(32, 7).toString("base64")}`, body) });
    expect(wrongSecret.status).toBe(401);

    const stale = await send(path, { body, headers: sign(signingSecret!, body, { at: new Date(Date.now() - 6 * 60_000) }) });
    expect([stale.status, (stale.body as ErrorBody).error.message]).toEqual([401, "The webhook-timestamp is more than 5 minutes away from now"]);

    const missing = await send(path, { body });
    expect(missing.status).toBe(401);
    expect((missing.body as ErrorBody).error.message).toMatch(/webhook-signature/);
    const { "webhook-signature": _dropped, ...noSignature } = sign(signingSecret!, body);
    expect((await send(path, { body, headers: noSignature })).status).toBe(401);

    expect(await executionsOf(flowId)).toHaveLength(1);
  });

  it("verifies the exact bytes of form and text bodies too", async () => {
    const { flowId, path, signingSecret } = await hooked(echo, { signing: "generate" });
    const form = "a=1&b=two";
    const signedForm = await send(path, { body: form, contentType: "application/x-www-form-urlencoded", headers: sign(signingSecret!, form) });
    expect(signedForm.status, signedForm.text).toBe(202);
    const text = "line one\nline two";
    expect((await send(path, { body: text, contentType: "text/plain", headers: sign(signingSecret!, text) })).status).toBe(202);
    // Signed, but not JSON: the signature holds, the body is a 400, not a 401.
    const broken = "{nope";
    const bad = await send(path, { body: broken, headers: sign(signingSecret!, broken) });
    expect([bad.status, (bad.body as ErrorBody).error.path]).toEqual([400, "body"]);
    expect(await executionsOf(flowId)).toHaveLength(2);
  });

  it("does not let unsigned calls use up the rate limit of a signed webhook", async () => {
    const { flowId, path, signingSecret } = await hooked(echo, { signing: "generate", rateLimitPerMinute: 2 });
    for (let i = 0; i < 5; i++) expect((await send(path)).status).toBe(401);
    const body = "{}";
    expect((await send(path, { body, headers: sign(signingSecret!, body) })).status).toBe(202);
    expect((await send(path, { body, headers: sign(signingSecret!, body) })).status).toBe(202);
    expect((await send(path, { body, headers: sign(signingSecret!, body) })).status).toBe(429);
    // Refusals are logged up to the rate per minute (2), not without bound.
    const log = await api.deps.db.select().from(webhookInvocations).where(eq(webhookInvocations.flowId, flowId));
    expect(log.map((l) => l.statusCode).sort()).toEqual([202, 202, 401, 401]);
  });

  it("accepts both signing secrets while rotating, and drops the oldest at the next rotation", async () => {
    const { flowId, path, signingSecret: first } = await hooked(echo, { signing: "generate" });
    const second = (await configure(flowId, { signing: "rotate" })).body.signingSecret!;
    expect(second).not.toBe(first);
    const body = JSON.stringify({ n: 1 });
    expect((await send(path, { body, headers: sign(first!, body) })).status).toBe(202);
    expect((await send(path, { body, headers: sign(second, body) })).status).toBe(202);
    // Senders may put several signatures in the header during their own rotation.
    const both = sign(second, body);
    both["webhook-signature"] = `v1,${Buffer.alloc(32).toString("base64")} ${both["webhook-signature"]}`;
    expect((await send(path, { body, headers: both })).status).toBe(202);

    const third = (await configure(flowId, { signing: "rotate" })).body.signingSecret!;
    expect((await send(path, { body, headers: sign(first!, body) })).status).toBe(401);
    expect((await send(path, { body, headers: sign(second, body) })).status).toBe(202);
    expect((await send(path, { body, headers: sign(third, body) })).status).toBe(202);

    const off = await configure(flowId, { signing: "disable" });
    expect(off.body.webhook.signatureRequired).toBe(false);
    expect((await send(path, { body })).status).toBe(202);
  });
});

describe("idempotency", () => {
  it("starts one run for 50 concurrent duplicates of a webhook-id, and answers each with its id", async () => {
    const { flowId, path } = await hooked();
    const answers = await Promise.all(Array.from({ length: 50 }, () => send(path, { body: JSON.stringify({ once: true }), headers: { "webhook-id": "evt_42" } })));
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 50 }, () => 202));
    const ids = new Set(answers.map((a) => (a.body as Accepted).executionId));
    expect(ids.size).toBe(1);
    const runs = await executionsOf(flowId);
    expect(runs.map((r) => r.id)).toEqual([...ids]);
    const log = await api.deps.db.select().from(webhookInvocations).where(eq(webhookInvocations.flowId, flowId));
    expect(log).toHaveLength(50);
    expect(log.filter((l) => !l.deduplicated)).toHaveLength(1);
    expect(new Set(log.map((l) => l.executionId))).toEqual(ids);
  });

  it("uses Idempotency-Key when there is no webhook-id; a new key is a new run", async () => {
    const { flowId, path } = await hooked();
    const a = await send(path, { headers: { "idempotency-key": "k1" } });
    const b = await send(path, { headers: { "idempotency-key": "k1" } });
    const c = await send(path, { headers: { "idempotency-key": "k2" } });
    expect((a.body as Accepted).executionId).toBe((b.body as Accepted).executionId);
    expect((c.body as Accepted).executionId).not.toBe((a.body as Accepted).executionId);
    expect(await executionsOf(flowId)).toHaveLength(2);
  });

  it("does not use up a key on a request that started nothing (invalid input)", async () => {
    const strict: Graph = {
      nodes: [node("in", "source", { inputSchema: { type: "object", required: ["id"] } }), node("out", "sink")],
      edges: [edge("in", "out")],
    };
    const { flowId, path } = await hooked(strict);
    const bad = await send(path, { body: JSON.stringify({}), headers: { "webhook-id": "evt_bad" } });
    expect(bad.status).toBe(400);
    expect(await executionsOf(flowId)).toHaveLength(0);
    const fixed = await send(path, { body: JSON.stringify({ id: 1 }), headers: { "webhook-id": "evt_bad" } });
    expect(fixed.status, fixed.text).toBe(202);
    expect(await executionsOf(flowId)).toHaveLength(1);
  });
});

const nodeOf = (graph: Graph, id: string) => graph.nodes.find((n) => (n as { id: string }).id === id) as { data: { config: { inputSchema?: unknown } } };

describe("the Start block's input schema", () => {
  /** A flow written for manual input `{ n }`: the webhook's body fields are its input too. */
  const doubler: Graph = {
    nodes: [
      node("in", "source", { inputSchema: { type: "object", required: ["n"], properties: { n: { type: "number" } } } }),
      node("double", "function", { code: "return { doubled: input.n * 2, via: input.trigger.type, body: input.trigger.body };" }),
      node("out", "sink"),
    ],
    edges: [edge("in", "double"), edge("double", "out")],
  };

  it("checks the body against it: 400 naming body.<field> and nothing started; a matching body runs the same flow a manual run does", async () => {
    const { flowId, path } = await hooked(doubler);
    // The panel reads the schema bodies are checked against, to show a body that passes.
    expect((await callerFor(api.deps, owner.user).webhooks.get({ workspaceId: ws, flowId })).inputSchema).toEqual(nodeOf(doubler, "in").data.config.inputSchema);
    const missing = await send(path, { body: JSON.stringify({ m: 1 }) });
    expect(missing.status, missing.text).toBe(400);
    expect((missing.body as ErrorBody).error).toMatchObject({ code: "BAD_REQUEST", path: "body.n" });
    expect((missing.body as ErrorBody).error.message).toContain("body.n");
    const wrongType = await send(path, { body: JSON.stringify({ n: "21" }) });
    expect([wrongType.status, (wrongType.body as ErrorBody).error.path]).toEqual([400, "body.n"]);
    const text = await send(path, { body: "21", contentType: "text/plain" });
    expect([text.status, (text.body as ErrorBody).error.path]).toEqual([400, "body.n"]);
    expect(await executionsOf(flowId)).toHaveLength(0);

    const ok = await send(path, { body: JSON.stringify({ n: 21 }) });
    expect(ok.status, ok.text).toBe(202);
    const done = await t.waitFor((ok.body as Accepted).executionId, ["completed", "failed"]);
    expect(done.execution.status).toBe("completed");
    expect(done.execution.output).toEqual({ doubled: 42, via: "webhook", body: { n: 21 } });
    expect(done.execution.input).toMatchObject({ n: 21, trigger: { type: "webhook", body: { n: 21 } } });

    // A manual run of the same flow reads the same field.
    const manual = await callerFor(api.deps, owner.user).executions.start({ workspaceId: ws, flowId, input: { n: 5, trigger: { type: "manual" } } });
    const manualDone = await t.waitFor(manual.executionId, ["completed", "failed"]);
    expect(manualDone.execution.output).toMatchObject({ doubled: 10 });
  });

  it("applies additionalProperties: false to the body only, never to the trigger", async () => {
    const closed: Graph = {
      nodes: [node("in", "source", { inputSchema: { type: "object", additionalProperties: false, properties: { n: { type: "number" } } } }), node("out", "sink")],
      edges: [edge("in", "out")],
    };
    const { path } = await hooked(closed);
    const ok = await send(path, { body: JSON.stringify({ n: 1 }) });
    expect(ok.status, ok.text).toBe(202);
    expect((await t.waitFor((ok.body as Accepted).executionId, ["completed", "failed"])).execution.status).toBe("completed");
    const extra = await send(path, { body: JSON.stringify({ n: 1, x: 2 }) });
    expect(extra.status, extra.text).toBe(400);
    expect((extra.body as ErrorBody).error.message).toContain("body");
  });
});

describe("limits", () => {
  it("refuses an oversize body with 413, also without a content-length, and starts nothing", async () => {
    const { flowId, path } = await hooked(echo, { maxBodyBytes: 1_000 });
    const big = JSON.stringify({ pad: "x".repeat(2_000) });
    const res = await send(path, { body: big });
    expect(res.status).toBe(413);
    expect((res.body as ErrorBody).error.code).toBe("PAYLOAD_TOO_LARGE");
    const chunked = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode("x".repeat(400)));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect((await send(path, { body: JSON.stringify({ pad: "x".repeat(900) }) })).status).toBe(202);
    expect(await executionsOf(flowId)).toHaveLength(1);
  });

  it("refuses other content types with 415 and bad JSON with 400", async () => {
    const { flowId, path } = await hooked();
    const xml = await send(path, { body: "<a/>", contentType: "application/xml" });
    expect([xml.status, (xml.body as ErrorBody).error.code]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
    // (a byte body: fetch adds no content type of its own)
    expect((await send(path, { body: new TextEncoder().encode("raw"), contentType: null })).status).toBe(415);
    expect((await send(path, { body: "x", contentType: "application/octet-stream" })).status).toBe(415);
    const broken = await send(path, { body: "{nope" });
    expect([broken.status, (broken.body as ErrorBody).error.path]).toEqual([400, "body"]);
    expect(await executionsOf(flowId)).toHaveLength(0);
  });

  it("rate-limits per flow with 429 and Retry-After, counted across two server instances", async () => {
    const { flowId, path } = await hooked(echo, { rateLimitPerMinute: 4 });
    // A second instance: its own database connection (on Postgres) and its own REST app and server.
    let second: DatabaseHandle | null = null;
    let deps2: Deps = api.deps;
    if (api.database.url) {
      second = await createDatabase({ url: api.database.url, max: 2 });
      const bus = createNotifyBus(second);
      deps2 = { ...api.deps, engine: undefined, db: second.db, bus, executions: createExecutionStore({ db: second.db, bus }) };
    }
    const instance2 = await listen(deps2);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await send(path, { url: i % 2 === 0 ? base : instance2.url })).status);
      expect(statuses).toEqual([202, 202, 202, 202, 429, 429]);
      const limited = await send(path, { url: instance2.url });
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(await executionsOf(flowId)).toHaveLength(4);
      // Another flow has its own budget.
      expect((await send((await hooked()).path, { url: instance2.url })).status).toBe(202);
    } finally {
      await close(instance2.server);
      await second?.close();
    }
  });
});

describe("response modes", () => {
  it("sync: answers with the sink output when the run ends in time", async () => {
    const { flowId, path } = await hooked(echo, { responseMode: "sync", syncTimeoutMs: 10_000 });
    const res = await send(`${path}?x=1`, { body: JSON.stringify({ q: "hi" }) });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ body: { q: "hi" }, query: { x: "1" }, method: "POST" });
    expect(res.headers.get("webhook-execution-id")).toMatch(/^[0-9a-f-]{36}$/);
    // The log says what the caller got (the row was written once, before the run).
    const [logged] = await invocationsOf(flowId);
    expect(logged).toMatchObject({ statusCode: 200, executionId: res.headers.get("webhook-execution-id") });
    expect(logged!.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("sync: answers 202 with the ids when the run takes longer than the timeout", async () => {
    const { flowId, path } = await hooked(slow, { responseMode: "sync", syncTimeoutMs: 300 });
    const res = await send(path);
    expect(res.status).toBe(202);
    const body = res.body as Accepted;
    expect(body.status).toBe("running");
    expect(body.streamUrl).toBe(`/api/v1/executions/${body.executionId}/stream`);
    expect((await t.waitFor(body.executionId, ["completed"])).execution.status).toBe("completed");
    // The caller got 202: so says the log, although the run completed since.
    const [logged] = await invocationsOf(flowId);
    expect(logged).toMatchObject({ statusCode: 202, executionId: body.executionId });
    expect(logged!.latencyMs).toBeGreaterThanOrEqual(300);
  });

  it("sync: a failed run is a 500 that says so without the flow's internals", async () => {
    const { flowId, path } = await hooked(failing, { responseMode: "sync", syncTimeoutMs: 10_000 });
    const res = await send(path);
    expect(res.status).toBe(500);
    expect((res.body as ErrorBody).error.code).toBe("EXECUTION_FAILED");
    expect(res.text).not.toContain("internal detail 42");
    expect((await invocationsOf(flowId)).map((l) => l.statusCode)).toEqual([500]);
  });
});

describe("settings, log, roles and tenancy", () => {
  it("logs every call that got past the secret: status, latency, size and execution", async () => {
    const { flowId, path } = await hooked(echo, { maxBodyBytes: 100 });
    await send(path, { body: JSON.stringify({ a: 1 }) });
    await send(path, { body: "<x/>", contentType: "application/xml" });
    await send(path, { body: JSON.stringify({ pad: "y".repeat(200) }) });
    const list = await rest<{ items: Array<{ statusCode: number; latencyMs: number; requestBytes: number; executionId: string | null }> }>(
      "GET",
      `/api/v1/flows/${flowId}/webhook/invocations`,
      { headers: { cookie: viewer.cookie, "x-weft-workspace": ws } },
    );
    expect(list.status).toBe(200);
    expect(list.body.items.map((i) => i.statusCode)).toEqual([413, 415, 202]);
    const accepted = list.body.items[2]!;
    expect(accepted.executionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(accepted.requestBytes).toBe(7);
    expect(accepted.latencyMs).toBeGreaterThanOrEqual(0);
    const page = await callerFor(api.deps, owner.user).webhooks.invocations({ workspaceId: ws, flowId, limit: 2 });
    expect(page.items).toHaveLength(2);
    const rest2 = await callerFor(api.deps, owner.user).webhooks.invocations({ workspaceId: ws, flowId, limit: 2, cursor: page.nextCursor! });
    expect(rest2.items.map((i) => i.statusCode)).toEqual([202]);
  });

  it("pages through invocations created in the same millisecond without skipping any; a bad cursor is a 400", async () => {
    const { flowId } = await hooked();
    const [hook] = await api.deps.db.select().from(webhooks).where(eq(webhooks.flowId, flowId));
    const base = Date.parse("2026-11-20T10:00:00.123Z");
    await api.deps.db.execute(sql`
      insert into webhook_invocations (workspace_id, webhook_id, flow_id, status_code, created_at)
      select ${ws}::uuid, ${hook!.id}::uuid, ${flowId}::uuid, 202, ${new Date(base).toISOString()}::timestamptz + (i * interval '1 microsecond')
      from generate_series(1, 7) as i`);
    const asOwner = callerFor(api.deps, owner.user);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await asOwner.webhooks.invocations({ workspaceId: ws, flowId, limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    await expectTrpcError(asOwner.webhooks.invocations({ workspaceId: ws, flowId, cursor: "junk" }), "BAD_REQUEST");
    const forged = Buffer.from(JSON.stringify(["2026-11-20T10:00:00.123456Z", "not-a-uuid"])).toString("base64url");
    const res = await rest<ErrorBody>("GET", `/api/v1/flows/${flowId}/webhook/invocations?cursor=${forged}`, { headers: { cookie: owner.cookie } });
    expect([res.status, res.body.error.path]).toEqual([400, "cursor"]);
  });

  it("lets viewers read the settings but not change them; other workspaces get 404; bad settings are a 400 naming the field", async () => {
    const { flowId } = await hooked();
    const asViewer = callerFor(api.deps, viewer.user);
    expect((await asViewer.webhooks.get({ workspaceId: ws, flowId })).webhook?.enabled).toBe(true);
    await expectTrpcError(asViewer.webhooks.configure({ workspaceId: ws, flowId, rotate: true }), "FORBIDDEN");
    const viewerRest = await rest<ErrorBody>("POST", `/api/v1/flows/${flowId}/webhook`, { headers: { cookie: viewer.cookie, "x-weft-workspace": ws }, body: { enabled: false } });
    expect(viewerRest.status).toBe(403);

    const asOther = callerFor(api.deps, other.user);
    await expectTrpcError(asOther.webhooks.get({ workspaceId: wsOther, flowId }), "NOT_FOUND");
    await expectTrpcError(asOther.webhooks.configure({ workspaceId: wsOther, flowId, enabled: false }), "NOT_FOUND");
    await expectTrpcError(asOther.webhooks.invocations({ workspaceId: wsOther, flowId }), "NOT_FOUND");
    const otherRest = await rest("POST", `/api/v1/flows/${flowId}/webhook`, { headers: { cookie: other.cookie }, body: { rotate: true } });
    expect(otherRest.status).toBe(404);
    const [row] = await api.deps.db.select().from(webhooks).where(and(eq(webhooks.flowId, flowId), eq(webhooks.enabled, true)));
    expect(row).toBeDefined();

    const bad = await configure(flowId, { syncTimeoutMs: 5 });
    expect([bad.status, (bad.body as unknown as ErrorBody).error.path]).toEqual([400, "syncTimeoutMs"]);
    const noFlow = await configure("00000000-0000-4000-8000-000000000000", {});
    expect(noFlow.status).toBe(404);
  });
});
