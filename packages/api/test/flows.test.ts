import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, auditLog, eq, flows, flowVersions, type Db } from "@weft/db";
import type { FlowEdgeInput, FlowNodeInput } from "@weft/flow";
import { createFlow } from "../src/services/flows/create-flow";
import { updateFlow } from "../src/services/flows/update-flow";
import { callerFor, createTestApi, type TestApi } from "../src/testing";
import { expectRestError, expectTrpcError, expectUnchanged, fieldOf, restClient, signUpUser, type ErrorBody, type SignedUpUser } from "./support";

/** Flows: drafts with optimistic saves, soft delete, immutable published versions, tenancy and roles. */

type Caller = ReturnType<typeof callerFor>;
type Graph = { nodes: FlowNodeInput[]; edges: FlowEdgeInput[] };

const node = (id: string, type: string, config: Record<string, unknown> = {}): FlowNodeInput => ({ id, type, position: { x: 0, y: 0 }, data: { config } });
const edge = (source: string, target: string): FlowEdgeInput => ({ id: `${source}->${target}`, source, target });
/** source -> function -> sink: a valid flow. */
const validGraph = (code = "return input;"): Graph => ({
  nodes: [node("src", "source"), node("fn", "function", { code }), node("out", "sink")],
  edges: [edge("src", "fn"), edge("fn", "out")],
});
/** A function with no code and no sink: a draft that cannot be published. */
const invalidGraph = (): Graph => ({ nodes: [node("src", "source"), node("fn", "function", { code: "" })], edges: [edge("src", "fn")] });

let api: TestApi;
let rest: ReturnType<typeof restClient>;
let ownerA: SignedUpUser, memberA: SignedUpUser, viewerA: SignedUpUser, ownerB: SignedUpUser;
let wsA: string, wsB: string;
let as: (who: SignedUpUser) => Caller;
let keyA: string;

beforeAll(async () => {
  api = await createTestApi();
  rest = restClient(api);
  [ownerA, memberA, viewerA, ownerB] = [await signUpUser(api, "OwnerA"), await signUpUser(api, "MemberA"), await signUpUser(api, "ViewerA"), await signUpUser(api, "OwnerB")];
  as = (who) => callerFor(api.deps, who.user);
  wsA = (await as(ownerA).workspaces.create({ name: "Alpha" })).id;
  await as(ownerA).members.invite({ workspaceId: wsA, email: memberA.user.email, role: "member" });
  await as(ownerA).members.invite({ workspaceId: wsA, email: viewerA.user.email, role: "viewer" });
  wsB = (await as(ownerB).workspaces.create({ name: "Beta" })).id;
  const key = await rest<{ key: string }>("POST", `/api/v1/workspaces/${wsA}/api-keys`, { headers: { cookie: ownerA.cookie }, body: { name: "k", role: "member" } });
  expect(key.status).toBe(201);
  keyA = key.body.key;
});
afterAll(async () => api?.close());

const headersOf = (who: SignedUpUser, workspaceId = wsA) => ({ cookie: who.cookie, "x-weft-workspace": workspaceId });
/** POST without a body still has to say so (the app refuses non-JSON bodies). */
const noBody = { "content-length": "0" };

/** Every flow row, version row and audit entry of a workspace, for "nothing changed" checks. */
async function snapshot(db: Db, workspaceId: string) {
  return {
    flows: await db.select().from(flows).where(eq(flows.workspaceId, workspaceId)).orderBy(asc(flows.id)),
    versions: await db.select().from(flowVersions).where(eq(flowVersions.workspaceId, workspaceId)).orderBy(asc(flowVersions.id)),
    audit: await db.select().from(auditLog).where(eq(auditLog.workspaceId, workspaceId)).orderBy(asc(auditLog.id)),
  };
}
const unchanged = <T>(workspaceId: string, call: () => Promise<T>) => expectUnchanged(() => snapshot(api.deps.db, workspaceId), call);

describe("flows through tRPC", () => {
  it("create, byId, update, list, delete", async () => {
    const a = as(memberA);
    const created = await a.flows.create({ workspaceId: wsA, name: "Lead intake", description: "new leads", ...invalidGraph() });
    expect(created).toMatchObject({ name: "Lead intake", description: "new leads", version: 1, publishedVersion: null });
    expect(created.nodes).toHaveLength(2);
    expect(Object.keys(created)).not.toContain("deletedAt");

    const read = await a.flows.byId({ workspaceId: wsA, flowId: created.id });
    expect(read).toEqual(created);
    // A draft may be invalid; validate says why.
    const check = await a.flows.validate({ workspaceId: wsA, flowId: created.id });
    expect(check.ok).toBe(false);
    expect(check.problems.map((p) => p.code)).toEqual(expect.arrayContaining(["invalid_config", "missing_sink"]));

    const updated = await a.flows.update({ workspaceId: wsA, flowId: created.id, version: 1, name: "Lead intake v2", ...validGraph() });
    expect(updated).toMatchObject({ name: "Lead intake v2", description: "new leads", version: 2 });
    expect(await a.flows.validate({ workspaceId: wsA, flowId: created.id })).toEqual({ ok: true, problems: [] });

    const list = await a.flows.list({ workspaceId: wsA });
    expect(list.items.map((f) => f.id)).toContain(created.id);
    expect(list.items.find((f) => f.id === created.id)).not.toHaveProperty("nodes");

    expect(await a.flows.delete({ workspaceId: wsA, flowId: created.id })).toEqual({ id: created.id });
    // Soft delete: the row stays, every API answers 404.
    const [row] = await api.deps.db.select().from(flows).where(eq(flows.id, created.id));
    expect(row?.deletedAt).toBeInstanceOf(Date);
    expect((await a.flows.list({ workspaceId: wsA })).items.map((f) => f.id)).not.toContain(created.id);
    for (const call of [
      () => a.flows.byId({ workspaceId: wsA, flowId: created.id }),
      () => a.flows.update({ workspaceId: wsA, flowId: created.id, version: 2, name: "back" }),
      () => a.flows.delete({ workspaceId: wsA, flowId: created.id }),
      () => a.flows.duplicate({ workspaceId: wsA, flowId: created.id }),
      () => a.flows.validate({ workspaceId: wsA, flowId: created.id }),
      () => a.flows.publish({ workspaceId: wsA, flowId: created.id }),
      () => a.flows.versions({ workspaceId: wsA, flowId: created.id }),
    ]) {
      await unchanged(wsA, () => expectTrpcError(call(), "NOT_FOUND"));
    }
  });

  it("a stale save is a 409 naming the current version, and the stored flow is unchanged", async () => {
    const a = as(memberA);
    const flow = await a.flows.create({ workspaceId: wsA, name: "Optimistic", ...validGraph() });
    await a.flows.update({ workspaceId: wsA, flowId: flow.id, version: 1, name: "Saved in tab 1" });
    const error = await unchanged(wsA, () =>
      expectTrpcError(a.flows.update({ workspaceId: wsA, flowId: flow.id, version: 1, name: "Saved in tab 2", nodes: [] }), "CONFLICT"),
    );
    expect(error.message).toBe("This flow was changed elsewhere (now version 2); reload or overwrite");
    expect(await a.flows.byId({ workspaceId: wsA, flowId: flow.id })).toMatchObject({ name: "Saved in tab 1", version: 2, nodes: validGraph().nodes });
    // Overwriting = saving again against the version the conflict named.
    expect(await a.flows.update({ workspaceId: wsA, flowId: flow.id, version: 2, name: "Saved in tab 2" })).toMatchObject({ version: 3 });
  });

  it("of two concurrent saves from the same version exactly one wins", async () => {
    const actor = { workspaceId: wsA, role: "member" as const, userId: memberA.user.id };
    const flow = await createFlow(api.deps, { actor, input: { name: "Race" } });
    for (let round = 1; round <= 5; round++) {
      const results = await Promise.allSettled(
        ["left", "right"].map((name) => updateFlow(api.deps, { actor, input: { flowId: flow.id, version: round, name: `${name} ${round}` } })),
      );
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]?.reason).toMatchObject({ code: "CONFLICT", message: `This flow was changed elsewhere (now version ${round + 1}); reload or overwrite` });
      const [row] = await api.deps.db.select().from(flows).where(eq(flows.id, flow.id));
      expect(row?.version).toBe(round + 1);
      expect(row?.name).toBe((won[0] as PromiseFulfilledResult<{ name: string }>).value.name);
    }
  });

  it("publish refuses an invalid flow with the problems and writes no version", async () => {
    const a = as(memberA);
    const flow = await a.flows.create({ workspaceId: wsA, name: "Broken", ...invalidGraph() });
    const error = await unchanged(wsA, () => expectTrpcError(a.flows.publish({ workspaceId: wsA, flowId: flow.id }), "BAD_REQUEST"));
    expect(error.message).toMatch(/^This flow cannot be published: it has \d+ problems: /);
    expect(error.message).toContain("fn");
    expect(await api.deps.db.select().from(flowVersions).where(eq(flowVersions.flowId, flow.id))).toEqual([]);
    expect(await a.flows.byId({ workspaceId: wsA, flowId: flow.id })).toMatchObject({ publishedVersion: null });
    expect(await a.flows.versions({ workspaceId: wsA, flowId: flow.id })).toEqual([]);
  });

  it("publish twice gives versions 1 and 2 whose snapshots do not change with later edits", async () => {
    const a = as(memberA);
    const flow = await a.flows.create({ workspaceId: wsA, name: "Published", ...validGraph("return 1;") });
    const v1 = await a.flows.publish({ workspaceId: wsA, flowId: flow.id });
    expect(v1).toMatchObject({ flowId: flow.id, version: 1 });
    const edited = await a.flows.update({ workspaceId: wsA, flowId: flow.id, version: 1, ...validGraph("return 2;") });
    expect(edited).toMatchObject({ version: 2, publishedVersion: 1 });
    const v2 = await a.flows.publish({ workspaceId: wsA, flowId: flow.id });
    expect(v2.version).toBe(2);
    expect(await a.flows.byId({ workspaceId: wsA, flowId: flow.id })).toMatchObject({ version: 2, publishedVersion: 2 });
    expect((await a.flows.versions({ workspaceId: wsA, flowId: flow.id })).map((v) => v.version)).toEqual([2, 1]);

    const codeOf = async (version: number) => {
      const [row] = await api.deps.db.select().from(flowVersions).where(eq(flowVersions.id, version === 1 ? v1.id : v2.id));
      return (row?.nodes as Array<{ id: string; data: { config: { code?: string } } }>).find((n) => n.id === "fn")?.data.config.code;
    };
    const before = await api.deps.db.select().from(flowVersions).where(eq(flowVersions.flowId, flow.id)).orderBy(asc(flowVersions.version));
    await a.flows.update({ workspaceId: wsA, flowId: flow.id, version: 2, ...validGraph("return 3;"), name: "Edited after publishing" });
    expect(await api.deps.db.select().from(flowVersions).where(eq(flowVersions.flowId, flow.id)).orderBy(asc(flowVersions.version))).toEqual(before);
    expect([await codeOf(1), await codeOf(2)]).toEqual(["return 1;", "return 2;"]);
  });

  it("duplicate copies the graph as a new unpublished draft", async () => {
    const a = as(memberA);
    const flow = await a.flows.create({ workspaceId: wsA, name: "Original", description: "d", ...validGraph() });
    await a.flows.update({ workspaceId: wsA, flowId: flow.id, version: 1, name: "Original" });
    await a.flows.publish({ workspaceId: wsA, flowId: flow.id });
    const copy = await a.flows.duplicate({ workspaceId: wsA, flowId: flow.id });
    expect(copy).toMatchObject({ name: "Original (copy)", description: "d", version: 1, publishedVersion: null, nodes: validGraph().nodes, edges: validGraph().edges });
    expect(copy.id).not.toBe(flow.id);
    expect(await a.flows.versions({ workspaceId: wsA, flowId: copy.id })).toEqual([]);
    expect(await a.flows.byId({ workspaceId: wsA, flowId: flow.id })).toMatchObject({ name: "Original", version: 2, publishedVersion: 1 });
  });

  it("lists by search, newest change first, in pages", async () => {
    const { id: ws } = await as(ownerA).workspaces.create({ name: "Paging" });
    const a = as(ownerA);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      api.clock.advance(1000);
      ids.push((await a.flows.create({ workspaceId: ws, name: i % 2 ? `Odd 100%_${i}` : `Even ${i}` })).id);
    }
    // Two flows with the same updated_at: the id breaks the tie.
    api.clock.advance(1000);
    const twins = [(await a.flows.create({ workspaceId: ws, name: "Twin a" })).id, (await a.flows.create({ workspaceId: ws, name: "Twin b" })).id];
    const expected = [...twins.sort().reverse(), ...ids.reverse()];
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await a.flows.list({ workspaceId: ws, limit: 2, ...(cursor ? { cursor } : {}) });
      expect(result.items.length).toBeLessThanOrEqual(2);
      seen.push(...result.items.map((f) => f.id));
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    expect(seen).toEqual(expected);
    // An updated flow moves to the front.
    api.clock.advance(1000);
    await a.flows.update({ workspaceId: ws, flowId: ids[6]!, version: 1, description: "touched" });
    expect((await a.flows.list({ workspaceId: ws, limit: 1 })).items[0]?.id).toBe(ids[6]);
    // Search is a case-insensitive substring; % and _ are literal.
    expect((await a.flows.list({ workspaceId: ws, search: "odd" })).items).toHaveLength(3);
    expect((await a.flows.list({ workspaceId: ws, search: "100%_" })).items).toHaveLength(3);
    expect((await a.flows.list({ workspaceId: ws, search: "%" })).items).toHaveLength(3);
    expect(await a.flows.list({ workspaceId: ws, search: "nothing like it" })).toEqual({ items: [], nextCursor: null });
    // A forged cursor is a 400 naming the field.
    const error = await expectTrpcError(a.flows.list({ workspaceId: ws, cursor: "garbage" }), "BAD_REQUEST");
    expect(fieldOf(error)).toBe("cursor");
  });

  it("invalid input is a 400 naming the field", async () => {
    const a = as(memberA);
    const flow = await a.flows.create({ workspaceId: wsA, name: "Valid" });
    const cases: Array<[string, () => Promise<unknown>]> = [
      ["name", () => a.flows.create({ workspaceId: wsA, name: "  " })],
      ["nodes[0].id", () => a.flows.create({ workspaceId: wsA, name: "x", nodes: [node("has space", "source")] })],
      ["edges[0].source", () => a.flows.create({ workspaceId: wsA, name: "x", edges: [{ id: "e", source: "", target: "b" }] })],
      ["limit", () => a.flows.list({ workspaceId: wsA, limit: 101 })],
      ["flowId", () => a.flows.byId({ workspaceId: wsA, flowId: "not-a-uuid" })],
      ["version", () => a.flows.update({ workspaceId: wsA, flowId: flow.id, version: 0, name: "x" })],
    ];
    for (const [field, call] of cases) {
      const error = await unchanged(wsA, () => expectTrpcError(call(), "BAD_REQUEST"));
      expect(fieldOf(error), error.message).toBe(field);
    }
  });
});

describe("flows through REST", () => {
  it("CRUD, validate, publish, versions and duplicate", async () => {
    const headers = headersOf(memberA);
    const created = await rest<{ flow: { id: string; version: number } }>("POST", "/api/v1/flows", { headers, body: { name: "REST flow", ...invalidGraph() } });
    expect(created.status, created.text).toBe(201);
    const id = created.body.flow.id;
    expect((await rest("GET", `/api/v1/flows/${id}`, { headers })).body).toMatchObject({ flow: { id, name: "REST flow", version: 1 } });

    const check = await rest<{ ok: boolean; problems: unknown[] }>("POST", `/api/v1/flows/${id}/validate`, { headers: { ...headers, ...noBody } });
    expect(check.status).toBe(200);
    expect(check.body.ok).toBe(false);
    const refused = await unchanged(wsA, () => rest<ErrorBody>("POST", `/api/v1/flows/${id}/publish`, { headers: { ...headers, ...noBody } }));
    expectRestError(refused, 400, "BAD_REQUEST");
    expect(refused.body.error.message).toMatch(/^This flow cannot be published/);

    const saved = await rest("PUT", `/api/v1/flows/${id}`, { headers, body: { version: 1, ...validGraph() } });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body).toMatchObject({ flow: { version: 2 } });
    const stale = await unchanged(wsA, () => rest<ErrorBody>("PUT", `/api/v1/flows/${id}`, { headers, body: { version: 1, name: "stale" } }));
    expectRestError(stale, 409, "CONFLICT");
    expect(stale.body.error.message).toContain("now version 2");

    const published = await rest("POST", `/api/v1/flows/${id}/publish`, { headers: { ...headers, ...noBody } });
    expect(published.status, published.text).toBe(201);
    expect(published.body).toMatchObject({ flowVersion: { version: 1, flowId: id } });
    expect((await rest("GET", `/api/v1/flows/${id}/versions`, { headers })).body).toMatchObject({ versions: [{ version: 1 }] });

    const copy = await rest<{ flow: { id: string } }>("POST", `/api/v1/flows/${id}/duplicate`, { headers: { ...headers, ...noBody } });
    expect(copy.status).toBe(201);
    expect(copy.body.flow).toMatchObject({ name: "REST flow (copy)", version: 1, publishedVersion: null });

    const page = await rest<{ items: Array<{ id: string }>; nextCursor: string | null }>("GET", "/api/v1/flows?search=rest%20flow&limit=1", { headers });
    expect(page.status, page.text).toBe(200);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const next = await rest<{ items: Array<{ id: string }>; nextCursor: string | null }>(
      "GET",
      `/api/v1/flows?search=rest%20flow&limit=1&cursor=${page.body.nextCursor}`,
      { headers },
    );
    expect([...page.body.items, ...next.body.items].map((f) => f.id).sort()).toEqual([id, copy.body.flow.id].sort());
    expect(next.body.nextCursor).toBeNull();

    expect((await rest("DELETE", `/api/v1/flows/${id}`, { headers })).status).toBe(200);
    expectRestError(await rest("GET", `/api/v1/flows/${id}`, { headers }), 404, "NOT_FOUND");
    expectRestError(await rest("DELETE", `/api/v1/flows/${id}`, { headers }), 404, "NOT_FOUND");
  });

  it("works with an API key", async () => {
    const bearer = { authorization: `Bearer ${keyA}` };
    const created = await rest<{ flow: { id: string } }>("POST", "/api/v1/flows", { headers: bearer, body: { name: "By key" } });
    expect(created.status, created.text).toBe(201);
    expect((await rest("GET", `/api/v1/flows/${created.body.flow.id}`, { headers: bearer })).status).toBe(200);
  });

  it("invalid input is a 400 naming the field", async () => {
    const headers = headersOf(memberA);
    const { id } = await as(memberA).flows.create({ workspaceId: wsA, name: "For bad input" });
    const cases: Array<[string, string, string, unknown?]> = [
      ["POST", "/api/v1/flows", "name", { name: "" }],
      ["POST", "/api/v1/flows", "nodes[0].position", { name: "x", nodes: [{ id: "a", type: "source", data: {} }] }],
      ["PUT", `/api/v1/flows/${id}`, "version", { name: "x" }],
      ["GET", "/api/v1/flows?limit=0", "limit"],
      ["GET", "/api/v1/flows?cursor=nope", "cursor"],
      ["GET", "/api/v1/flows/not-a-uuid", "id"],
      ["PUT", "/api/v1/flows/not-a-uuid", "id", { version: 1 }],
      ["DELETE", "/api/v1/flows/not-a-uuid", "id"],
      ["POST", "/api/v1/flows/not-a-uuid/publish", "id"],
    ];
    for (const [method, path, field, body] of cases) {
      const answer = await unchanged(wsA, () => rest<ErrorBody>(method, path, { headers: body === undefined ? { ...headers, ...noBody } : headers, body }));
      expectRestError(answer, 400, "BAD_REQUEST");
      expect(answer.body.error.path, `${method} ${path}`).toBe(field);
    }
  });

  it("is described in the OpenAPI document", async () => {
    const doc = await rest<{ paths: Record<string, Record<string, unknown>> }>("GET", "/api/v1/openapi.json");
    expect(Object.keys(doc.body.paths["/api/v1/flows"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.body.paths["/api/v1/flows/{id}"] ?? {}).sort()).toEqual(["delete", "get", "put"]);
    for (const action of ["validate", "publish", "duplicate"]) expect(doc.body.paths[`/api/v1/flows/{id}/${action}`]).toHaveProperty("post");
    expect(doc.body.paths["/api/v1/flows/{id}/versions"]).toHaveProperty("get");
  });
});

describe("roles", () => {
  it("a viewer reads but cannot create, update, delete, duplicate or publish", async () => {
    const flow = await as(memberA).flows.create({ workspaceId: wsA, name: "Viewer target", ...validGraph() });
    const v = as(viewerA);
    expect(await v.flows.byId({ workspaceId: wsA, flowId: flow.id })).toMatchObject({ id: flow.id });
    expect((await v.flows.list({ workspaceId: wsA })).items.map((f) => f.id)).toContain(flow.id);
    expect(await v.flows.validate({ workspaceId: wsA, flowId: flow.id })).toEqual({ ok: true, problems: [] });
    expect(await v.flows.versions({ workspaceId: wsA, flowId: flow.id })).toEqual([]);
    const calls = [
      () => v.flows.create({ workspaceId: wsA, name: "nope" }),
      () => v.flows.update({ workspaceId: wsA, flowId: flow.id, version: 1, name: "nope" }),
      () => v.flows.delete({ workspaceId: wsA, flowId: flow.id }),
      () => v.flows.duplicate({ workspaceId: wsA, flowId: flow.id }),
      () => v.flows.publish({ workspaceId: wsA, flowId: flow.id }),
    ];
    for (const call of calls) await unchanged(wsA, () => expectTrpcError(call(), "FORBIDDEN"));

    const headers = headersOf(viewerA);
    expect((await rest("GET", `/api/v1/flows/${flow.id}`, { headers })).status).toBe(200);
    expect((await rest("GET", "/api/v1/flows", { headers })).status).toBe(200);
    const restCalls: Array<[string, string, unknown?]> = [
      ["POST", "/api/v1/flows", { name: "nope" }],
      ["PUT", `/api/v1/flows/${flow.id}`, { version: 1, name: "nope" }],
      ["DELETE", `/api/v1/flows/${flow.id}`],
      ["POST", `/api/v1/flows/${flow.id}/duplicate`],
      ["POST", `/api/v1/flows/${flow.id}/publish`],
    ];
    for (const [method, path, body] of restCalls) {
      const answer = await unchanged(wsA, () => rest(method, path, { body, headers: body === undefined ? { ...headers, ...noBody } : headers }));
      expectRestError(answer, 403, "FORBIDDEN");
    }
  });
});

describe("another workspace's user", () => {
  let flowA: { id: string; name: string };
  beforeAll(async () => {
    const created = await as(memberA).flows.create({ workspaceId: wsA, name: "Alpha secret flow", ...validGraph() });
    await as(memberA).flows.publish({ workspaceId: wsA, flowId: created.id });
    flowA = created;
  });

  const trpcCases = (): Array<[string, (b: Caller) => Promise<unknown>]> => {
    const cases: Array<[string, (b: Caller, ws: string) => Promise<unknown>]> = [
      ["byId", (b, ws) => b.flows.byId({ workspaceId: ws, flowId: flowA.id })],
      ["update", (b, ws) => b.flows.update({ workspaceId: ws, flowId: flowA.id, version: 1, name: "taken" })],
      ["delete", (b, ws) => b.flows.delete({ workspaceId: ws, flowId: flowA.id })],
      ["duplicate", (b, ws) => b.flows.duplicate({ workspaceId: ws, flowId: flowA.id })],
      ["validate", (b, ws) => b.flows.validate({ workspaceId: ws, flowId: flowA.id })],
      ["publish", (b, ws) => b.flows.publish({ workspaceId: ws, flowId: flowA.id })],
      ["versions", (b, ws) => b.flows.versions({ workspaceId: ws, flowId: flowA.id })],
    ];
    return [
      ["list(A)", (b) => b.flows.list({ workspaceId: wsA })],
      ["create(A)", (b) => b.flows.create({ workspaceId: wsA, name: "planted" })],
      ...cases.map(([name, call]): [string, (b: Caller) => Promise<unknown>] => [`${name}(A, A's flow)`, (b) => call(b, wsA)]),
      ...cases.map(([name, call]): [string, (b: Caller) => Promise<unknown>] => [`${name}(B, A's flow)`, (b) => call(b, wsB)]),
    ];
  };

  it("gets NOT_FOUND from every tRPC procedure, and nothing in A or B changes", async () => {
    for (const [name, call] of trpcCases()) {
      await unchanged(wsB, () =>
        unchanged(wsA, async () => {
          const error = await expectTrpcError(call(as(ownerB)), "NOT_FOUND");
          expect(error.message, name).not.toContain(flowA.name);
        }),
      );
    }
    expect(await as(ownerB).flows.list({ workspaceId: wsB })).toEqual({ items: [], nextCursor: null });
  });

  it("gets 404 from every REST route, by cookie (with or without A selected) and by API key", async () => {
    const key = await rest<{ key: string }>("POST", `/api/v1/workspaces/${wsB}/api-keys`, { headers: { cookie: ownerB.cookie }, body: { name: "b", role: "admin" } });
    const callers: Array<Record<string, string>> = [
      { cookie: ownerB.cookie },
      { cookie: ownerB.cookie, "x-weft-workspace": wsA },
      { authorization: `Bearer ${key.body.key}` },
    ];
    const routes: Array<[string, string, unknown?]> = [
      ["GET", `/api/v1/flows/${flowA.id}`],
      ["PUT", `/api/v1/flows/${flowA.id}`, { version: 1, name: "taken" }],
      ["DELETE", `/api/v1/flows/${flowA.id}`],
      ["POST", `/api/v1/flows/${flowA.id}/validate`],
      ["POST", `/api/v1/flows/${flowA.id}/publish`],
      ["GET", `/api/v1/flows/${flowA.id}/versions`],
      ["POST", `/api/v1/flows/${flowA.id}/duplicate`],
    ];
    for (const headers of callers) {
      for (const [method, path, body] of routes) {
        const answer = await unchanged(wsB, () =>
          unchanged(wsA, () => rest(method, path, { body, headers: body === undefined ? { ...headers, ...noBody } : headers })),
        );
        expectRestError(answer, 404, "NOT_FOUND");
        expect(answer.text).not.toContain(flowA.name);
      }
    }
    // A's workspace selected by header: the list is refused too; B's own list is empty.
    expectRestError(await rest("GET", "/api/v1/flows", { headers: callers[1] }), 404, "NOT_FOUND");
    expect((await rest("GET", "/api/v1/flows", { headers: callers[0] })).body).toEqual({ items: [], nextCursor: null });
    // A well-formed id that exists nowhere.
    expectRestError(await rest("GET", `/api/v1/flows/${randomUUID()}`, { headers: headersOf(ownerA) }), 404, "NOT_FOUND");
  });
});
