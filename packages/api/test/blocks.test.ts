import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, auditLog, blocks, eq, type Db } from "@weft/db";
import { callerFor, createTestApi, type TestApi } from "../src/testing";
import { expectRestError, expectTrpcError, expectUnchanged, fieldOf, restClient, signUpUser, type ErrorBody, type SignedUpUser } from "./support";

/** The block library (config checked per block type) and connections.test (a real provider call). */

type Caller = ReturnType<typeof callerFor>;

let api: TestApi;
let rest: ReturnType<typeof restClient>;
let ownerA: SignedUpUser, memberA: SignedUpUser, viewerA: SignedUpUser, ownerB: SignedUpUser;
let wsA: string, wsB: string;
let as: (who: SignedUpUser) => Caller;

beforeAll(async () => {
  api = await createTestApi();
  rest = restClient(api);
  [ownerA, memberA, viewerA, ownerB] = [await signUpUser(api, "OwnerA"), await signUpUser(api, "MemberA"), await signUpUser(api, "ViewerA"), await signUpUser(api, "OwnerB")];
  as = (who) => callerFor(api.deps, who.user);
  wsA = (await as(ownerA).workspaces.create({ name: "Alpha" })).id;
  await as(ownerA).members.invite({ workspaceId: wsA, email: memberA.user.email, role: "member" });
  await as(ownerA).members.invite({ workspaceId: wsA, email: viewerA.user.email, role: "viewer" });
  wsB = (await as(ownerB).workspaces.create({ name: "Beta" })).id;
});
afterAll(async () => api?.close());

const headersOf = (who: SignedUpUser, workspaceId = wsA) => ({ cookie: who.cookie, "x-weft-workspace": workspaceId });

async function snapshot(db: Db, workspaceId: string) {
  return {
    blocks: await db.select().from(blocks).where(eq(blocks.workspaceId, workspaceId)).orderBy(asc(blocks.id)),
    audit: await db.select().from(auditLog).where(eq(auditLog.workspaceId, workspaceId)).orderBy(asc(auditLog.id)),
  };
}
const unchanged = <T>(workspaceId: string, call: () => Promise<T>) => expectUnchanged(() => snapshot(api.deps.db, workspaceId), call);

describe("blocks through tRPC", () => {
  it("create, list, byId, update, delete with configs checked against the block type", async () => {
    const a = as(memberA);
    const http = await a.blocks.create({ workspaceId: wsA, name: "Slack post", type: "http", config: { method: "POST", url: "https://hooks.example.com/x", body: { text: "{{ input.text }}" } } });
    expect(http).toMatchObject({ name: "Slack post", description: "", type: "http", config: { method: "POST", url: "https://hooks.example.com/x" } });
    const delay = await a.blocks.create({ workspaceId: wsA, name: "Wait", type: "delay", config: { ms: 1000 } });
    expect(await a.blocks.byId({ workspaceId: wsA, blockId: http.id })).toEqual(http);
    expect((await a.blocks.list({ workspaceId: wsA })).map((b) => b.id).sort()).toEqual([http.id, delay.id].sort());
    expect((await a.blocks.list({ workspaceId: wsA, type: "delay" })).map((b) => b.id)).toEqual([delay.id]);

    const renamed = await a.blocks.update({ workspaceId: wsA, blockId: http.id, name: "Slack notify", config: { url: "https://hooks.example.com/y" } });
    // Defaults of the block type's schema are applied.
    expect(renamed).toMatchObject({ name: "Slack notify", type: "http", config: { method: "GET", url: "https://hooks.example.com/y" } });
    // Changing the type re-checks the stored config against the new type.
    const mismatch = await unchanged(wsA, () => expectTrpcError(a.blocks.update({ workspaceId: wsA, blockId: delay.id, type: "function" }), "BAD_REQUEST"));
    expect(fieldOf(mismatch)).toBe("config.code");
    expect(await a.blocks.update({ workspaceId: wsA, blockId: delay.id, type: "function", config: { code: "return 1;" } })).toMatchObject({ type: "function", config: { code: "return 1;" } });

    expect(await a.blocks.delete({ workspaceId: wsA, blockId: http.id })).toEqual({ id: http.id });
    await expectTrpcError(a.blocks.byId({ workspaceId: wsA, blockId: http.id }), "NOT_FOUND");
    await expectTrpcError(a.blocks.delete({ workspaceId: wsA, blockId: http.id }), "NOT_FOUND");
  });

  it("invalid input is a 400 naming the field", async () => {
    const a = as(memberA);
    const block = await a.blocks.create({ workspaceId: wsA, name: "Valid", type: "delay", config: { ms: 1 } });
    const cases: Array<[string, () => Promise<unknown>]> = [
      ["type", () => a.blocks.create({ workspaceId: wsA, name: "x", type: "teleport" as "http", config: {} })],
      ["name", () => a.blocks.create({ workspaceId: wsA, name: "", type: "delay", config: { ms: 1 } })],
      ["config.ms", () => a.blocks.create({ workspaceId: wsA, name: "x", type: "delay", config: { ms: -1 } })],
      ["config.metod", () => a.blocks.create({ workspaceId: wsA, name: "x", type: "http", config: { url: "https://x", metod: "POST" } })],
      ["config.routes[0].handle", () => a.blocks.create({ workspaceId: wsA, name: "x", type: "router", config: { routes: [{ handle: "", when: "true" }] } })],
      ["config.ms", () => a.blocks.update({ workspaceId: wsA, blockId: block.id, config: { ms: "soon" } })],
      ["blockId", () => a.blocks.byId({ workspaceId: wsA, blockId: "not-a-uuid" })],
    ];
    for (const [field, call] of cases) {
      const error = await unchanged(wsA, () => expectTrpcError(call(), "BAD_REQUEST"));
      expect(fieldOf(error), error.message).toBe(field);
    }
  });

  it("a viewer reads but cannot create, update or delete", async () => {
    const block = await as(memberA).blocks.create({ workspaceId: wsA, name: "Viewer target", type: "delay", config: { ms: 5 } });
    const v = as(viewerA);
    expect(await v.blocks.byId({ workspaceId: wsA, blockId: block.id })).toMatchObject({ id: block.id });
    expect((await v.blocks.list({ workspaceId: wsA })).map((b) => b.id)).toContain(block.id);
    for (const call of [
      () => v.blocks.create({ workspaceId: wsA, name: "nope", type: "delay", config: { ms: 1 } }),
      () => v.blocks.update({ workspaceId: wsA, blockId: block.id, name: "nope" }),
      () => v.blocks.delete({ workspaceId: wsA, blockId: block.id }),
    ]) {
      await unchanged(wsA, () => expectTrpcError(call(), "FORBIDDEN"));
    }
    const headers = headersOf(viewerA);
    expect((await rest("GET", `/api/v1/blocks/${block.id}`, { headers })).status).toBe(200);
    for (const [method, path, body] of [
      ["POST", "/api/v1/blocks", { name: "nope", type: "delay", config: { ms: 1 } }],
      ["PATCH", `/api/v1/blocks/${block.id}`, { name: "nope" }],
      ["DELETE", `/api/v1/blocks/${block.id}`, undefined],
    ] as const) {
      expectRestError(await unchanged(wsA, () => rest(method, path, { body, headers })), 403, "FORBIDDEN");
    }
  });
});

describe("blocks through REST", () => {
  it("CRUD, with a 400 naming the config field", async () => {
    const headers = headersOf(memberA);
    const created = await rest<{ block: { id: string } }>("POST", "/api/v1/blocks", { headers, body: { name: "Approve", type: "approval", config: { message: "OK?" } } });
    expect(created.status, created.text).toBe(201);
    const id = created.body.block.id;
    expect((await rest("GET", `/api/v1/blocks/${id}`, { headers })).body).toMatchObject({ block: { id, type: "approval", config: { message: "OK?" } } });
    expect((await rest<{ blocks: Array<{ id: string }> }>("GET", "/api/v1/blocks?type=approval", { headers })).body.blocks.map((b) => b.id)).toEqual([id]);
    const patched = await rest("PATCH", `/api/v1/blocks/${id}`, { headers, body: { description: "asks a human" } });
    expect(patched.body).toMatchObject({ block: { description: "asks a human" } });

    const bad = await unchanged(wsA, () => rest<ErrorBody>("PATCH", `/api/v1/blocks/${id}`, { headers, body: { config: { message: "x", timeoutMs: -5 } } }));
    expectRestError(bad, 400, "BAD_REQUEST");
    expect(bad.body.error.path).toBe("config.timeoutMs");
    const badType = await unchanged(wsA, () => rest<ErrorBody>("POST", "/api/v1/blocks", { headers, body: { name: "x", type: "nope" } }));
    expectRestError(badType, 400, "BAD_REQUEST");
    expect(badType.body.error.path).toBe("type");
    expect((await rest<ErrorBody>("GET", "/api/v1/blocks/not-a-uuid", { headers })).body.error.path).toBe("id");

    expect((await rest("DELETE", `/api/v1/blocks/${id}`, { headers })).status).toBe(200);
    expectRestError(await rest("GET", `/api/v1/blocks/${id}`, { headers }), 404, "NOT_FOUND");
  });
});

describe("another workspace's user", () => {
  it("gets 404 for A's blocks from every procedure and route, and nothing changes", async () => {
    const block = await as(memberA).blocks.create({ workspaceId: wsA, name: "Alpha secret block", type: "delay", config: { ms: 1 } });
    const b = as(ownerB);
    const trpc: Array<() => Promise<unknown>> = [];
    for (const ws of [wsA, wsB]) {
      trpc.push(
        () => b.blocks.byId({ workspaceId: ws, blockId: block.id }),
        () => b.blocks.update({ workspaceId: ws, blockId: block.id, name: "taken" }),
        () => b.blocks.delete({ workspaceId: ws, blockId: block.id }),
      );
    }
    trpc.push(() => b.blocks.list({ workspaceId: wsA }), () => b.blocks.create({ workspaceId: wsA, name: "planted", type: "delay", config: { ms: 1 } }));
    for (const call of trpc) await unchanged(wsB, () => unchanged(wsA, () => expectTrpcError(call(), "NOT_FOUND")));
    expect(await b.blocks.list({ workspaceId: wsB })).toEqual([]);

    for (const headers of [{ cookie: ownerB.cookie }, headersOf(ownerB, wsA)]) {
      for (const [method, path, body] of [
        ["GET", `/api/v1/blocks/${block.id}`, undefined],
        ["PATCH", `/api/v1/blocks/${block.id}`, { name: "taken" }],
        ["DELETE", `/api/v1/blocks/${block.id}`, undefined],
      ] as const) {
        const answer = await unchanged(wsB, () => unchanged(wsA, () => rest(method, path, { body, headers })));
        expectRestError(answer, 404, "NOT_FOUND");
        expect(answer.text).not.toContain("Alpha secret block");
      }
    }
    expectRestError(await rest("GET", "/api/v1/blocks", { headers: headersOf(ownerB, wsA) }), 404, "NOT_FOUND");
  });
});

describe("connections.test", () => {
  const KEY = "sk-test-CONNECTION-TEST-4242";
  let server: Server;
  let baseUrl: string;
  const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];

  beforeAll(async () => {
    // A fake provider: answers the model list when the right key arrives, 401 otherwise.
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? "", headers: req.headers });
      const authorized = req.headers.authorization === `Bearer ${KEY}` || (req.headers["x-api-key"] === KEY && req.headers["anthropic-version"] === "2023-06-01");
      const known = req.url === "/v1/models" || req.url === "/openai/models";
      res.writeHead(!known ? 404 : authorized ? 200 : 401, { "content-type": "application/json" });
      res.end(JSON.stringify(authorized ? { data: [{ id: "model-1" }] } : { error: `Incorrect API key provided: ${String(req.headers.authorization ?? req.headers["x-api-key"])}` }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const create = (input: { name: string; provider: "openai" | "anthropic" | "openai_compatible"; apiKey: string; baseUrl?: string }) =>
    as(ownerA).connections.create({ workspaceId: wsA, ...input });

  it("calls the provider's model list with the key in the provider's header (members may test)", async () => {
    const openai = await create({ name: "Local OpenAI", provider: "openai_compatible", apiKey: KEY, baseUrl: `${baseUrl}/openai/` });
    const result = await as(memberA).connections.test({ workspaceId: wsA, connectionId: openai.id });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(seen.at(-1)).toMatchObject({ url: "/openai/models", headers: { authorization: `Bearer ${KEY}` } });

    const anthropic = await create({ name: "Local Anthropic", provider: "anthropic", apiKey: KEY, baseUrl });
    expect(await as(memberA).connections.test({ workspaceId: wsA, connectionId: anthropic.id })).toMatchObject({ ok: true, status: 200 });
    expect(seen.at(-1)).toMatchObject({ url: "/v1/models", headers: { "x-api-key": KEY, "anthropic-version": "2023-06-01" } });
    expect(seen.at(-1)?.headers.authorization).toBeUndefined();
  });

  it("REST: POST /api/v1/connections/{id}/test", async () => {
    const conn = await create({ name: "Local via REST", provider: "anthropic", apiKey: KEY, baseUrl });
    const viaRest = await rest<{ ok: boolean; message: string }>("POST", `/api/v1/connections/${conn.id}/test`, { headers: { ...headersOf(memberA), "content-length": "0" } });
    expect(viaRest.status, viaRest.text).toBe(200);
    expect(viaRest.body).toMatchObject({ ok: true, status: 200 });
    expect(viaRest.text).not.toContain(KEY);
    const before = seen.length;
    expectRestError(await rest("POST", `/api/v1/connections/${conn.id}/test`, { headers: { ...headersOf(viewerA), "content-length": "0" } }), 403, "FORBIDDEN");
    expectRestError(await rest("POST", `/api/v1/connections/${conn.id}/test`, { headers: { cookie: ownerB.cookie, "content-length": "0" } }), 404, "NOT_FOUND");
    expect(seen.length).toBe(before);
  });

  it("reports a rejected key as ok: false with the status, never echoing the key", async () => {
    const wrong = "sk-test-WRONG-KEY-0000";
    const conn = await create({ name: "Wrong key", provider: "openai", apiKey: wrong, baseUrl: `${baseUrl}/openai` });
    const result = await as(memberA).connections.test({ workspaceId: wsA, connectionId: conn.id });
    expect(result).toMatchObject({ ok: false, status: 401, message: "The provider rejected the API key (HTTP 401)" });
    expect(JSON.stringify(result)).not.toContain(wrong);
  });

  it("reports a blocked private address with the guard's message, without connecting", async () => {
    const before = seen.length;
    const conn = await create({ name: "Metadata", provider: "openai_compatible", apiKey: KEY, baseUrl: "http://169.254.169.254/latest" });
    const result = await as(memberA).connections.test({ workspaceId: wsA, connectionId: conn.id });
    expect(result.ok).toBe(false);
    expect(result.status).toBeUndefined();
    expect(result.message).toMatch(/^Refused to connect to 169\.254\.169\.254/);
    expect(seen.length).toBe(before);
  });

  it("is refused to viewers and 404 for another workspace", async () => {
    const conn = await create({ name: "Guarded", provider: "openai", apiKey: KEY, baseUrl: `${baseUrl}/openai` });
    const before = seen.length;
    await expectTrpcError(as(viewerA).connections.test({ workspaceId: wsA, connectionId: conn.id }), "FORBIDDEN");
    await expectTrpcError(as(ownerB).connections.test({ workspaceId: wsA, connectionId: conn.id }), "NOT_FOUND");
    await expectTrpcError(as(ownerB).connections.test({ workspaceId: wsB, connectionId: conn.id }), "NOT_FOUND");
    expect(seen.length).toBe(before);
  });
});
