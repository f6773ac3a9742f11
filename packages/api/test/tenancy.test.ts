import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { ZodError } from "zod";
import { callerFor, createTestApi, type TestApi } from "../src/testing";
import { expectTrpcError, restClient, signUpUser, snapshotWorkspace, type ErrorBody, type RestAnswer, type SignedUpUser } from "./support";

/**
 * Tenancy: a second workspace's user calls every id-taking endpoint with the first workspace's ids and
 * gets 404 with nothing read or changed; inside a workspace, viewers read and members cannot manage.
 */

type Caller = ReturnType<typeof callerFor>;
type World = {
  ownerA: SignedUpUser;
  memberA: SignedUpUser;
  viewerA: SignedUpUser;
  ownerB: SignedUpUser;
  wsA: string;
  wsB: string;
  connA: string;
  keyA: { id: string; key: string };
  keyB: { id: string; key: string };
  as: (who: SignedUpUser) => Caller;
};

let api: TestApi;
let rest: ReturnType<typeof restClient>;
let w: World;

const NAME_A = "Workspace Alpha";
const CONNECTION_A = "Alpha OpenAI";
const SECRET_A = "sk-alpha-SECRET-000111";

beforeAll(async () => {
  api = await createTestApi();
  rest = restClient(api);
  const [ownerA, memberA, viewerA, ownerB] = [
    await signUpUser(api, "OwnerA"),
    await signUpUser(api, "MemberA"),
    await signUpUser(api, "ViewerA"),
    await signUpUser(api, "OwnerB"),
  ];
  const as = (who: SignedUpUser) => callerFor(api.deps, who.user);

  const wsA = await as(ownerA).workspaces.create({ name: NAME_A });
  await as(ownerA).members.invite({ workspaceId: wsA.id, email: memberA.user.email, role: "member" });
  await as(ownerA).members.invite({ workspaceId: wsA.id, email: viewerA.user.email, role: "viewer" });
  const connA = await as(ownerA).connections.create({ workspaceId: wsA.id, name: CONNECTION_A, provider: "openai", apiKey: SECRET_A });
  const keyA = await rest<{ id: string; key: string }>("POST", `/api/v1/workspaces/${wsA.id}/api-keys`, {
    headers: { cookie: ownerA.cookie },
    body: { name: "alpha key", role: "admin" },
  });
  expect(keyA.status).toBe(201);

  const wsB = await as(ownerB).workspaces.create({ name: "Workspace Beta" });
  const keyB = await rest<{ id: string; key: string }>("POST", `/api/v1/workspaces/${wsB.id}/api-keys`, {
    headers: { cookie: ownerB.cookie },
    body: { name: "beta key", role: "admin" },
  });
  expect(keyB.status).toBe(201);

  w = { ownerA, memberA, viewerA, ownerB, wsA: wsA.id, wsB: wsB.id, connA: connA.id, keyA: keyA.body, keyB: keyB.body, as };
});
afterAll(async () => api?.close());

const snapshotA = () => snapshotWorkspace(api.deps.db, w.wsA);

/** Runs `call` and asserts that workspace A's rows (including its audit log) are exactly as before. */
async function withoutChangingA<T>(call: () => Promise<T>): Promise<T> {
  const before = await snapshotA();
  const result = await call();
  expect(await snapshotA()).toEqual(before);
  return result;
}

function expectRestError(answer: RestAnswer, status: number, code: string) {
  expect(answer.status, answer.text).toBe(status);
  expect((answer.body as ErrorBody).error.code).toBe(code);
  // A refusal never carries the other workspace's data.
  for (const secret of [NAME_A, CONNECTION_A, SECRET_A, w.keyA.key]) expect(answer.text).not.toContain(secret);
}

describe("control: A's owner", () => {
  it("reaches the very ids the other tenant is refused", async () => {
    const a = w.as(w.ownerA);
    expect(await a.workspaces.byId({ workspaceId: w.wsA })).toEqual({ id: w.wsA, name: NAME_A, role: "owner" });
    expect(await a.connections.byId({ workspaceId: w.wsA, connectionId: w.connA })).toMatchObject({ id: w.connA, name: CONNECTION_A });
    expect((await a.apiKeys.list({ workspaceId: w.wsA })).map((k) => k.id)).toEqual([w.keyA.id]);
    expect(await a.members.list({ workspaceId: w.wsA })).toHaveLength(3);
    const headers = { cookie: w.ownerA.cookie, "x-weft-workspace": w.wsA };
    for (const path of [`/api/v1/workspaces/${w.wsA}`, `/api/v1/workspaces/${w.wsA}/members`, `/api/v1/workspaces/${w.wsA}/api-keys`, `/api/v1/connections/${w.connA}`]) {
      expect((await rest("GET", path, { headers })).status, path).toBe(200);
    }
    const viaKey = await rest("GET", `/api/v1/connections/${w.connA}`, { headers: { authorization: `Bearer ${w.keyA.key}` } });
    expect(viaKey.status).toBe(200);
  });
});

describe("another workspace's user, through tRPC", () => {
  const cases: Array<[string, (b: Caller) => Promise<unknown>]> = [
    ["workspaces.byId(A)", (b) => b.workspaces.byId({ workspaceId: w.wsA })],
    ["workspaces.rename(A)", (b) => b.workspaces.rename({ workspaceId: w.wsA, name: "taken over" })],
    ["members.list(A)", (b) => b.members.list({ workspaceId: w.wsA })],
    ["members.invite(A, self as owner)", (b) => b.members.invite({ workspaceId: w.wsA, email: w.ownerB.user.email, role: "owner" })],
    ["members.invite(A, self as viewer)", (b) => b.members.invite({ workspaceId: w.wsA, email: w.ownerB.user.email, role: "viewer" })],
    ["members.updateRole(A, A's member)", (b) => b.members.updateRole({ workspaceId: w.wsA, userId: w.memberA.user.id, role: "viewer" })],
    ["members.updateRole(A, self -> owner)", (b) => b.members.updateRole({ workspaceId: w.wsA, userId: w.ownerB.user.id, role: "owner" })],
    ["members.remove(A, A's member)", (b) => b.members.remove({ workspaceId: w.wsA, userId: w.memberA.user.id })],
    ["members.remove(A, A's owner)", (b) => b.members.remove({ workspaceId: w.wsA, userId: w.ownerA.user.id })],
    ["apiKeys.list(A)", (b) => b.apiKeys.list({ workspaceId: w.wsA })],
    ["apiKeys.create(A)", (b) => b.apiKeys.create({ workspaceId: w.wsA, name: "mine now", role: "admin" })],
    ["apiKeys.revoke(A, A's key)", (b) => b.apiKeys.revoke({ workspaceId: w.wsA, apiKeyId: w.keyA.id })],
    ["connections.list(A)", (b) => b.connections.list({ workspaceId: w.wsA })],
    ["connections.byId(A, A's connection)", (b) => b.connections.byId({ workspaceId: w.wsA, connectionId: w.connA })],
    ["connections.create(A)", (b) => b.connections.create({ workspaceId: w.wsA, name: "x", provider: "openai", apiKey: "sk-x" })],
    ["connections.update(A, A's connection)", (b) => b.connections.update({ workspaceId: w.wsA, connectionId: w.connA, name: "renamed", apiKey: "sk-evil" })],
    ["connections.delete(A, A's connection)", (b) => b.connections.delete({ workspaceId: w.wsA, connectionId: w.connA })],
    // B's own workspace, A's object ids: the object is filtered by workspace, so it does not exist.
    ["members.updateRole(B, A's member)", (b) => b.members.updateRole({ workspaceId: w.wsB, userId: w.memberA.user.id, role: "viewer" })],
    ["members.updateRole(B, A's owner)", (b) => b.members.updateRole({ workspaceId: w.wsB, userId: w.ownerA.user.id, role: "viewer" })],
    ["members.remove(B, A's member)", (b) => b.members.remove({ workspaceId: w.wsB, userId: w.memberA.user.id })],
    ["apiKeys.revoke(B, A's key)", (b) => b.apiKeys.revoke({ workspaceId: w.wsB, apiKeyId: w.keyA.id })],
    ["connections.byId(B, A's connection)", (b) => b.connections.byId({ workspaceId: w.wsB, connectionId: w.connA })],
    ["connections.update(B, A's connection)", (b) => b.connections.update({ workspaceId: w.wsB, connectionId: w.connA, apiKey: "sk-evil" })],
    ["connections.delete(B, A's connection)", (b) => b.connections.delete({ workspaceId: w.wsB, connectionId: w.connA })],
  ];

  it.each(cases)("%s -> NOT_FOUND, nothing in A changed", async (_name, call) => {
    await withoutChangingA(async () => {
      const error = await expectTrpcError(call(w.as(w.ownerB)), "NOT_FOUND");
      for (const secret of [NAME_A, CONNECTION_A, SECRET_A]) expect(error.message).not.toContain(secret);
    });
  });

  it("does not see A in its own lists", async () => {
    const b = w.as(w.ownerB);
    expect((await b.workspaces.list()).map((x) => x.id)).toEqual([w.wsB]);
    expect(await b.connections.list({ workspaceId: w.wsB })).toEqual([]);
    expect((await b.members.list({ workspaceId: w.wsB })).map((m) => m.userId)).toEqual([w.ownerB.user.id]);
    expect((await b.apiKeys.list({ workspaceId: w.wsB })).map((k) => k.id)).toEqual([w.keyB.id]);
  });
});

describe("another workspace's user, through REST", () => {
  type Request = { method: string; path: string; body?: unknown; headers?: Record<string, string> };
  const xA = (): Record<string, string> => ({ "x-weft-workspace": w.wsA });
  const cases: Array<[string, () => Request]> = [
    ["GET workspace A", () => ({ method: "GET", path: `/api/v1/workspaces/${w.wsA}` })],
    ["PATCH workspace A", () => ({ method: "PATCH", path: `/api/v1/workspaces/${w.wsA}`, body: { name: "taken over" } })],
    ["GET A's members", () => ({ method: "GET", path: `/api/v1/workspaces/${w.wsA}/members` })],
    ["POST A's members (self as owner)", () => ({ method: "POST", path: `/api/v1/workspaces/${w.wsA}/members`, body: { email: w.ownerB.user.email, role: "owner" } })],
    ["POST A's members (self as viewer)", () => ({ method: "POST", path: `/api/v1/workspaces/${w.wsA}/members`, body: { email: w.ownerB.user.email, role: "viewer" } })],
    ["PATCH A's member", () => ({ method: "PATCH", path: `/api/v1/workspaces/${w.wsA}/members/${w.memberA.user.id}`, body: { role: "viewer" } })],
    ["PATCH self in A -> owner", () => ({ method: "PATCH", path: `/api/v1/workspaces/${w.wsA}/members/${w.ownerB.user.id}`, body: { role: "owner" } })],
    ["DELETE A's member", () => ({ method: "DELETE", path: `/api/v1/workspaces/${w.wsA}/members/${w.memberA.user.id}` })],
    ["DELETE A's owner", () => ({ method: "DELETE", path: `/api/v1/workspaces/${w.wsA}/members/${w.ownerA.user.id}` })],
    ["GET A's api keys", () => ({ method: "GET", path: `/api/v1/workspaces/${w.wsA}/api-keys` })],
    ["POST A's api keys", () => ({ method: "POST", path: `/api/v1/workspaces/${w.wsA}/api-keys`, body: { name: "mine now", role: "admin" } })],
    ["DELETE A's api key", () => ({ method: "DELETE", path: `/api/v1/workspaces/${w.wsA}/api-keys/${w.keyA.id}` })],
    ["GET A's connection", () => ({ method: "GET", path: `/api/v1/connections/${w.connA}` })],
    ["PATCH A's connection", () => ({ method: "PATCH", path: `/api/v1/connections/${w.connA}`, body: { name: "renamed", apiKey: "sk-evil" } })],
    ["DELETE A's connection", () => ({ method: "DELETE", path: `/api/v1/connections/${w.connA}` })],
    ["GET A's connection, x-weft-workspace: A", () => ({ method: "GET", path: `/api/v1/connections/${w.connA}`, headers: xA() })],
    ["PATCH A's connection, x-weft-workspace: A", () => ({ method: "PATCH", path: `/api/v1/connections/${w.connA}`, body: { apiKey: "sk-evil" }, headers: xA() })],
    ["DELETE A's connection, x-weft-workspace: A", () => ({ method: "DELETE", path: `/api/v1/connections/${w.connA}`, headers: xA() })],
    ["GET connections, x-weft-workspace: A", () => ({ method: "GET", path: "/api/v1/connections", headers: xA() })],
    ["POST connections, x-weft-workspace: A", () => ({ method: "POST", path: "/api/v1/connections", body: { name: "x", provider: "openai", apiKey: "sk-x" }, headers: xA() })],
    ["GET me, x-weft-workspace: A", () => ({ method: "GET", path: "/api/v1/me", headers: xA() })],
    ["GET A's connection, ?workspaceId=A", () => ({ method: "GET", path: `/api/v1/connections/${w.connA}?workspaceId=${w.wsA}` })],
    ["DELETE A's connection, ?workspaceId=A", () => ({ method: "DELETE", path: `/api/v1/connections/${w.connA}?workspaceId=${w.wsA}` })],
    ["GET connections, ?workspaceId=A", () => ({ method: "GET", path: `/api/v1/connections?workspaceId=${w.wsA}` })],
    // B's own workspace in the path, A's object ids.
    ["PATCH B/members/<A's member>", () => ({ method: "PATCH", path: `/api/v1/workspaces/${w.wsB}/members/${w.memberA.user.id}`, body: { role: "viewer" } })],
    ["DELETE B/members/<A's member>", () => ({ method: "DELETE", path: `/api/v1/workspaces/${w.wsB}/members/${w.memberA.user.id}` })],
    ["DELETE B/api-keys/<A's key>", () => ({ method: "DELETE", path: `/api/v1/workspaces/${w.wsB}/api-keys/${w.keyA.id}` })],
  ];

  it.each(cases)("B's session cookie: %s -> 404, nothing in A changed", async (_name, request) => {
    const { method, path, body, headers } = request();
    await withoutChangingA(async () => {
      expectRestError(await rest(method, path, { body, headers: { cookie: w.ownerB.cookie, ...headers } }), 404, "NOT_FOUND");
    });
  });

  // An API key carries its own workspace: A's ids in the path reach nothing in A. (With a header or
  // query selecting A, object routes still look in B, where A's ids do not exist.)
  // In B's own workspace, member and key management is refused to any API key (403) before an id is read.
  const keyManagesB = /^(PATCH|DELETE) B\/(members|api-keys)/;
  const keyCases = cases.filter(([name]) => !/^(GET|POST) (me|connections), /.test(name) && !keyManagesB.test(name));
  it.each(cases.filter(([name]) => keyManagesB.test(name)))("B's API key: %s -> 403, nothing in A changed", async (_name, request) => {
    const { method, path, body, headers } = request();
    await withoutChangingA(async () => {
      expectRestError(await rest(method, path, { body, headers: { authorization: `Bearer ${w.keyB.key}`, ...headers } }), 403, "FORBIDDEN");
    });
  });
  it.each(keyCases)("B's API key: %s -> 404, nothing in A changed", async (_name, request) => {
    const { method, path, body, headers } = request();
    await withoutChangingA(async () => {
      expectRestError(await rest(method, path, { body, headers: { authorization: `Bearer ${w.keyB.key}`, ...headers } }), 404, "NOT_FOUND");
    });
  });

  it("B's API key ignores a header or query selecting A: it only ever sees B", async () => {
    const bearer = { authorization: `Bearer ${w.keyB.key}` };
    const me = await rest<{ workspaceId: string }>("GET", "/api/v1/me", { headers: { ...bearer, "x-weft-workspace": w.wsA } });
    expect(me.status).toBe(200);
    expect(me.body.workspaceId).toBe(w.wsB);
    for (const request of [
      { path: "/api/v1/connections", headers: { ...bearer, "x-weft-workspace": w.wsA } },
      { path: `/api/v1/connections?workspaceId=${w.wsA}`, headers: bearer },
    ]) {
      const list = await rest("GET", request.path, { headers: request.headers });
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ connections: [] });
    }
    await withoutChangingA(async () => {
      const created = await rest<{ connection: { id: string } }>("POST", "/api/v1/connections", {
        headers: { ...bearer, "x-weft-workspace": w.wsA },
        body: { name: "beta conn", provider: "anthropic", apiKey: "sk-beta" },
      });
      expect(created.status).toBe(201);
      const [row] = await snapshotWorkspace(api.deps.db, w.wsB).then((s) => s.connections.filter((c) => c.id === created.body.connection.id));
      expect(row?.workspaceId).toBe(w.wsB);
      expect((await rest("DELETE", `/api/v1/connections/${created.body.connection.id}`, { headers: bearer })).status).toBe(200);
    });
  });

  it("sees only its own workspace in GET /api/v1/workspaces", async () => {
    const callers: Array<Record<string, string>> = [{ cookie: w.ownerB.cookie }, { authorization: `Bearer ${w.keyB.key}` }];
    for (const headers of callers) {
      const answer = await rest<{ workspaces: Array<{ id: string }> }>("GET", "/api/v1/workspaces", { headers });
      expect(answer.status).toBe(200);
      expect(answer.body.workspaces.map((x) => x.id)).toEqual([w.wsB]);
      expect(answer.text).not.toContain(NAME_A);
    }
  });
});

describe("a viewer of A", () => {
  it("reads the workspace, its members and its connections", async () => {
    const v = w.as(w.viewerA);
    expect(await v.workspaces.byId({ workspaceId: w.wsA })).toEqual({ id: w.wsA, name: NAME_A, role: "viewer" });
    expect((await v.members.list({ workspaceId: w.wsA })).map((m) => m.userId).sort()).toEqual(
      [w.ownerA.user.id, w.memberA.user.id, w.viewerA.user.id].sort(),
    );
    expect((await v.connections.list({ workspaceId: w.wsA })).map((c) => c.id)).toEqual([w.connA]);
    expect(await v.connections.byId({ workspaceId: w.wsA, connectionId: w.connA })).toMatchObject({ id: w.connA, name: CONNECTION_A });

    const cookie = { cookie: w.viewerA.cookie };
    expect((await rest("GET", `/api/v1/workspaces/${w.wsA}`, { headers: cookie })).body).toEqual({ workspace: { id: w.wsA, name: NAME_A, role: "viewer" } });
    expect((await rest("GET", `/api/v1/workspaces/${w.wsA}/members`, { headers: cookie })).status).toBe(200);
    const list = await rest<{ connections: Array<{ id: string }> }>("GET", "/api/v1/connections", { headers: { ...cookie, "x-weft-workspace": w.wsA } });
    expect(list.status).toBe(200);
    expect(list.body.connections.map((c) => c.id)).toEqual([w.connA]);
    expect((await rest("GET", `/api/v1/connections/${w.connA}`, { headers: { ...cookie, "x-weft-workspace": w.wsA } })).status).toBe(200);
  });

  const forbiddenTrpc: Array<[string, (c: Caller) => Promise<unknown>]> = [
    ["workspaces.rename", (c) => c.workspaces.rename({ workspaceId: w.wsA, name: "renamed" })],
    ["members.invite", (c) => c.members.invite({ workspaceId: w.wsA, email: w.ownerB.user.email, role: "viewer" })],
    ["members.updateRole (other)", (c) => c.members.updateRole({ workspaceId: w.wsA, userId: w.memberA.user.id, role: "viewer" })],
    ["members.updateRole (self -> admin)", (c) => c.members.updateRole({ workspaceId: w.wsA, userId: w.viewerA.user.id, role: "admin" })],
    ["members.remove (other)", (c) => c.members.remove({ workspaceId: w.wsA, userId: w.memberA.user.id })],
    ["members.remove (owner)", (c) => c.members.remove({ workspaceId: w.wsA, userId: w.ownerA.user.id })],
    ["apiKeys.list", (c) => c.apiKeys.list({ workspaceId: w.wsA })],
    ["apiKeys.create", (c) => c.apiKeys.create({ workspaceId: w.wsA, name: "k", role: "viewer" })],
    ["apiKeys.revoke", (c) => c.apiKeys.revoke({ workspaceId: w.wsA, apiKeyId: w.keyA.id })],
    ["connections.create", (c) => c.connections.create({ workspaceId: w.wsA, name: "x", provider: "openai", apiKey: "sk-x" })],
    ["connections.update", (c) => c.connections.update({ workspaceId: w.wsA, connectionId: w.connA, apiKey: "sk-evil" })],
    ["connections.delete", (c) => c.connections.delete({ workspaceId: w.wsA, connectionId: w.connA })],
  ];
  it.each(forbiddenTrpc)("tRPC %s -> FORBIDDEN, nothing changed", async (_name, call) => {
    await withoutChangingA(() => expectTrpcError(call(w.as(w.viewerA)), "FORBIDDEN"));
  });

  const forbiddenRest = (): Array<[string, string, unknown?]> => [
    ["PATCH", `/api/v1/workspaces/${w.wsA}`, { name: "renamed" }],
    ["POST", `/api/v1/workspaces/${w.wsA}/members`, { email: w.ownerB.user.email, role: "viewer" }],
    ["PATCH", `/api/v1/workspaces/${w.wsA}/members/${w.memberA.user.id}`, { role: "viewer" }],
    ["PATCH", `/api/v1/workspaces/${w.wsA}/members/${w.viewerA.user.id}`, { role: "admin" }],
    ["DELETE", `/api/v1/workspaces/${w.wsA}/members/${w.memberA.user.id}`],
    ["GET", `/api/v1/workspaces/${w.wsA}/api-keys`],
    ["POST", `/api/v1/workspaces/${w.wsA}/api-keys`, { name: "k", role: "viewer" }],
    ["DELETE", `/api/v1/workspaces/${w.wsA}/api-keys/${w.keyA.id}`],
    ["POST", `/api/v1/connections`, { name: "x", provider: "openai", apiKey: "sk-x" }],
    ["PATCH", `/api/v1/connections/${w.connA}`, { apiKey: "sk-evil" }],
    ["DELETE", `/api/v1/connections/${w.connA}`],
  ];
  it("REST: every create/update/delete -> 403, nothing changed", async () => {
    for (const [method, path, body] of forbiddenRest()) {
      await withoutChangingA(async () => {
        const answer = await rest(method, path, { body, headers: { cookie: w.viewerA.cookie, "x-weft-workspace": w.wsA } });
        expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(403);
        expect((answer.body as ErrorBody).error.code).toBe("FORBIDDEN");
      });
    }
  });
});

describe("a member of A", () => {
  it("reads, but cannot manage members, keys or connections (tRPC and REST), nothing changed", async () => {
    const m = w.as(w.memberA);
    expect(await m.workspaces.byId({ workspaceId: w.wsA })).toMatchObject({ role: "member" });
    expect(await m.connections.list({ workspaceId: w.wsA })).toHaveLength(1);
    const calls: Array<() => Promise<unknown>> = [
      () => m.workspaces.rename({ workspaceId: w.wsA, name: "renamed" }),
      () => m.members.invite({ workspaceId: w.wsA, email: w.ownerB.user.email, role: "viewer" }),
      () => m.members.updateRole({ workspaceId: w.wsA, userId: w.viewerA.user.id, role: "member" }),
      () => m.members.updateRole({ workspaceId: w.wsA, userId: w.memberA.user.id, role: "admin" }),
      () => m.members.remove({ workspaceId: w.wsA, userId: w.viewerA.user.id }),
      () => m.apiKeys.list({ workspaceId: w.wsA }),
      () => m.apiKeys.create({ workspaceId: w.wsA, name: "k", role: "viewer" }),
      () => m.apiKeys.revoke({ workspaceId: w.wsA, apiKeyId: w.keyA.id }),
      () => m.connections.create({ workspaceId: w.wsA, name: "x", provider: "openai", apiKey: "sk-x" }),
      () => m.connections.update({ workspaceId: w.wsA, connectionId: w.connA, name: "renamed" }),
      () => m.connections.delete({ workspaceId: w.wsA, connectionId: w.connA }),
    ];
    for (const call of calls) await withoutChangingA(() => expectTrpcError(call(), "FORBIDDEN"));

    const headers = { cookie: w.memberA.cookie, "x-weft-workspace": w.wsA };
    const restCalls: Array<[string, string, unknown?]> = [
      ["POST", `/api/v1/workspaces/${w.wsA}/members`, { email: w.ownerB.user.email }],
      ["PATCH", `/api/v1/workspaces/${w.wsA}/members/${w.viewerA.user.id}`, { role: "member" }],
      ["DELETE", `/api/v1/workspaces/${w.wsA}/members/${w.viewerA.user.id}`],
      ["POST", `/api/v1/workspaces/${w.wsA}/api-keys`, { name: "k", role: "viewer" }],
      ["DELETE", `/api/v1/workspaces/${w.wsA}/api-keys/${w.keyA.id}`],
      ["POST", `/api/v1/connections`, { name: "x", provider: "openai", apiKey: "sk-x" }],
      ["PATCH", `/api/v1/connections/${w.connA}`, { name: "renamed" }],
      ["DELETE", `/api/v1/connections/${w.connA}`],
    ];
    for (const [method, path, body] of restCalls) {
      await withoutChangingA(async () => {
        const answer = await rest(method, path, { body, headers });
        expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(403);
      });
    }
  });
});

describe("malformed ids", () => {
  it("tRPC: a malformed workspace id is NOT_FOUND, a malformed object id is BAD_REQUEST naming the field", async () => {
    const a = w.as(w.ownerA);
    await expectTrpcError(a.workspaces.byId({ workspaceId: "not-a-uuid" }), "NOT_FOUND");
    await expectTrpcError(a.connections.list({ workspaceId: "not-a-uuid" }), "NOT_FOUND");
    await expectTrpcError(a.connections.byId({ workspaceId: "'; drop table workspaces; --", connectionId: w.connA }), "NOT_FOUND");
    const cases: Array<[string, () => Promise<unknown>]> = [
      ["connectionId", () => a.connections.byId({ workspaceId: w.wsA, connectionId: "not-a-uuid" })],
      ["connectionId", () => a.connections.delete({ workspaceId: w.wsA, connectionId: "not-a-uuid" })],
      ["userId", () => a.members.updateRole({ workspaceId: w.wsA, userId: "not-a-uuid", role: "viewer" })],
      ["userId", () => a.members.remove({ workspaceId: w.wsA, userId: "not-a-uuid" })],
      ["apiKeyId", () => a.apiKeys.revoke({ workspaceId: w.wsA, apiKeyId: "not-a-uuid" })],
    ];
    for (const [field, call] of cases) {
      await withoutChangingA(async () => {
        const error = await expectTrpcError(call(), "BAD_REQUEST");
        // The error formatter reports the first zod issue's path as `data.path`.
        expect(error.cause).toBeInstanceOf(ZodError);
        expect((error.cause as ZodError).issues[0]?.path).toEqual([field]);
      });
    }
    // A well-formed id that does not exist is a 404.
    await expectTrpcError(a.connections.byId({ workspaceId: w.wsA, connectionId: randomUUID() }), "NOT_FOUND");
  });

  it("REST: malformed path ids are 400 with the field path; a malformed workspace header is 404; never 500", async () => {
    const headers = { cookie: w.ownerA.cookie };
    const bad: Array<[string, string, string, unknown?]> = [
      ["GET", "/api/v1/workspaces/not-a-uuid", "id"],
      ["PATCH", "/api/v1/workspaces/not-a-uuid", "id", { name: "x" }],
      ["GET", "/api/v1/workspaces/not-a-uuid/members", "id"],
      ["PATCH", `/api/v1/workspaces/${w.wsA}/members/not-a-uuid`, "userId", { role: "viewer" }],
      ["DELETE", `/api/v1/workspaces/${w.wsA}/members/not-a-uuid`, "userId"],
      ["GET", "/api/v1/workspaces/not-a-uuid/api-keys", "id"],
      ["DELETE", `/api/v1/workspaces/${w.wsA}/api-keys/not-a-uuid`, "apiKeyId"],
      ["GET", "/api/v1/connections/not-a-uuid", "id"],
      ["PATCH", "/api/v1/connections/not-a-uuid", "id", { name: "x" }],
      ["DELETE", "/api/v1/connections/not-a-uuid", "id"],
    ];
    for (const [method, path, field, body] of bad) {
      await withoutChangingA(async () => {
        const answer = await rest<ErrorBody>(method, path, { body, headers });
        expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(400);
        expect(answer.body.error).toMatchObject({ code: "BAD_REQUEST", path: field });
      });
    }
    for (const selector of [{ "x-weft-workspace": "not-a-uuid" }, { "x-weft-workspace": "00000000-0000-4000-8000-000000000000" }]) {
      const answer = await rest("GET", "/api/v1/connections", { headers: { ...headers, ...selector } });
      expect(answer.status, answer.text).toBe(404);
      expect((await rest("GET", `/api/v1/connections/${w.connA}`, { headers: { ...headers, ...selector } })).status).toBe(404);
    }
    expect((await rest("GET", "/api/v1/connections?workspaceId=not-a-uuid", { headers })).status).toBe(404);
    // Well-formed ids that do not exist.
    expect((await rest("GET", `/api/v1/workspaces/${randomUUID()}`, { headers })).status).toBe(404);
    expect((await rest("GET", `/api/v1/connections/${randomUUID()}`, { headers: { ...headers, "x-weft-workspace": w.wsA } })).status).toBe(404);
  });
});
