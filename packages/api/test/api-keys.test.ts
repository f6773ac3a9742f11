import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys, auditLog, connections, eq, workspaces } from "@weft/db";
import { callerFor, createTestApi, type TestApi } from "../src/testing";
import { expectTrpcError, restClient, signUpUser, type ErrorBody, type SignedUpUser } from "./support";

/** API keys: shown once, stored as SHA-256 only, scoped to one workspace and one role, revocable. */

type CreatedKey = { id: string; key: string; name: string; prefix: string; role: string; createdAt: string; lastUsedAt: null; revokedAt: null };

let api: TestApi;
let rest: ReturnType<typeof restClient>;
let owner: SignedUpUser;
let admin: SignedUpUser;
let member: SignedUpUser;
let workspaceId: string;

const sha256Hex = (value: string) => createHash("sha256").update(value).digest("hex");
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  api = await createTestApi();
  rest = restClient(api);
  owner = await signUpUser(api, "Owner");
  admin = await signUpUser(api, "Admin");
  member = await signUpUser(api, "Member");
  const created = await rest<{ workspace: { id: string } }>("POST", "/api/v1/workspaces", { headers: { cookie: owner.cookie }, body: { name: "Keys Inc" } });
  expect(created.status).toBe(201);
  workspaceId = created.body.workspace.id;
  const o = callerFor(api.deps, owner.user);
  await o.members.invite({ workspaceId, email: admin.user.email, role: "admin" });
  await o.members.invite({ workspaceId, email: member.user.email, role: "member" });
});
afterAll(async () => api?.close());

async function createKey(who: SignedUpUser, body: { name: string; role?: string }) {
  return rest<CreatedKey>("POST", `/api/v1/workspaces/${workspaceId}/api-keys`, { headers: { cookie: who.cookie }, body });
}

describe("API keys", () => {
  let created: CreatedKey;

  it("are created with the session cookie, shown once, listed by prefix only and stored as their SHA-256", async () => {
    const res = await createKey(owner, { name: "ci", role: "admin" });
    expect(res.status).toBe(201);
    created = res.body;
    expect(created).toMatchObject({ name: "ci", role: "admin", revokedAt: null, lastUsedAt: null });
    expect(created.key).toMatch(/^weft_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.key.slice(0, 11));
    expect(Object.keys(created).sort()).toEqual(["createdAt", "id", "key", "lastUsedAt", "name", "prefix", "revokedAt", "role"]);

    // The list (REST and tRPC) shows the prefix, never the key, the secret part of it, or its hash.
    const secretPart = created.key.slice(created.prefix.length);
    const list = await rest<{ apiKeys: Array<Record<string, unknown>> }>("GET", `/api/v1/workspaces/${workspaceId}/api-keys`, { headers: { cookie: owner.cookie } });
    expect(list.status).toBe(200);
    expect(list.body.apiKeys).toHaveLength(1);
    expect(list.body.apiKeys[0]).toMatchObject({ id: created.id, prefix: created.prefix, name: "ci", role: "admin" });
    for (const entry of list.body.apiKeys) {
      expect(Object.keys(entry)).not.toContain("key");
      expect(Object.keys(entry)).not.toContain("keyHash");
      for (const value of Object.values(entry)) {
        expect(String(value)).not.toContain(created.key);
        expect(String(value)).not.toContain(secretPart);
      }
    }
    expect(list.text).not.toContain(secretPart);
    expect(list.text).not.toContain(sha256Hex(created.key));
    const viaTrpc = await callerFor(api.deps, owner.user).apiKeys.list({ workspaceId });
    expect(JSON.stringify(viaTrpc)).not.toContain(secretPart);
    expect(JSON.stringify(viaTrpc)).not.toContain(sha256Hex(created.key));

    // The row holds the SHA-256 hex of the key and nothing from which the key could be read back.
    const [row] = await api.deps.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(row).toMatchObject({ workspaceId, keyHash: sha256Hex(created.key), prefix: created.prefix, role: "admin", createdBy: owner.user.id });
    expect(row!.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(secretPart);

    // The audit log records the creation without the key.
    const audit = await api.deps.db.select().from(auditLog).where(eq(auditLog.targetId, created.id));
    expect(audit).toEqual([expect.objectContaining({ action: "api_key.create", actorUserId: owner.user.id })]);
    expect(JSON.stringify(audit)).not.toContain(secretPart);
  });

  it("authenticate GET /api/v1/me as the key, in its workspace, with its role", async () => {
    const me = await rest("GET", "/api/v1/me", { headers: bearer(created.key) });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ workspaceId, role: "admin", userId: null, apiKeyId: created.id, user: null });
    const [row] = await api.deps.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(row!.lastUsedAt?.getTime()).toBe(api.clock.now.getTime());
    // The scheme is case-insensitive and surrounding spaces do not matter.
    expect((await rest("GET", "/api/v1/me", { headers: { authorization: `bearer   ${created.key}  ` } })).status).toBe(200);
    const list = await rest<{ workspaces: unknown[] }>("GET", "/api/v1/workspaces", { headers: bearer(created.key) });
    expect(list.body.workspaces).toEqual([{ id: workspaceId, name: "Keys Inc", role: "admin" }]);
  });

  it("cannot create a workspace (403) and nothing is created", async () => {
    const before = await api.deps.db.select().from(workspaces);
    const res = await rest<ErrorBody>("POST", "/api/v1/workspaces", { headers: bearer(created.key), body: { name: "Shadow" } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("FORBIDDEN");
    expect(await api.deps.db.select().from(workspaces)).toEqual(before);
  });

  it("stop working at once when revoked (401), and revoking twice is harmless", async () => {
    const revoked = await rest<{ id: string; revokedAt: string }>("DELETE", `/api/v1/workspaces/${workspaceId}/api-keys/${created.id}`, {
      headers: { cookie: owner.cookie },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.id).toBe(created.id);
    expect(new Date(revoked.body.revokedAt).getTime()).toBe(api.clock.now.getTime());
    const [row] = await api.deps.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(row!.revokedAt?.getTime()).toBe(api.clock.now.getTime());

    const me = await rest<ErrorBody>("GET", "/api/v1/me", { headers: bearer(created.key) });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe("UNAUTHORIZED");
    expect((await rest("GET", "/api/v1/connections", { headers: bearer(created.key) })).status).toBe(401);
    // A revoked key with a valid session cookie next to it is still refused: the bearer wins.
    expect((await rest("GET", "/api/v1/me", { headers: { ...bearer(created.key), cookie: owner.cookie } })).status).toBe(401);

    api.clock.advance(1000);
    const again = await rest<{ revokedAt: string }>("DELETE", `/api/v1/workspaces/${workspaceId}/api-keys/${created.id}`, { headers: { cookie: owner.cookie } });
    expect(again.status).toBe(200);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    const audit = await api.deps.db.select().from(auditLog).where(eq(auditLog.action, "api_key.revoke"));
    expect(audit).toHaveLength(1);
  });

  it("refuse garbage bearers with 401", async () => {
    for (const token of ["garbage", "weft_", "weft_garbage", `weft_${"x".repeat(300)}`, "eyJhbGciOiJub25lIn0.e30.", `${created.key}x`]) {
      const res = await rest<ErrorBody>("GET", "/api/v1/me", { headers: bearer(token) });
      expect(res.status, token).toBe(401);
      expect(res.body.error.code).toBe("UNAUTHORIZED");
    }
    expect((await rest("GET", "/api/v1/me")).status).toBe(401);
  });

  it("with the viewer role read but cannot create a connection (403)", async () => {
    const viewerKey = await createKey(owner, { name: "dashboard", role: "viewer" });
    expect(viewerKey.status).toBe(201);
    const headers = bearer(viewerKey.body.key);
    expect((await rest("GET", "/api/v1/me", { headers })).body).toMatchObject({ workspaceId, role: "viewer" });
    expect((await rest("GET", "/api/v1/connections", { headers })).status).toBe(200);
    const res = await rest<ErrorBody>("POST", "/api/v1/connections", { headers, body: { name: "x", provider: "openai", apiKey: "sk-viewer" } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("FORBIDDEN");
    expect(await api.deps.db.select().from(connections)).toEqual([]);
    // Nor manage keys.
    expect((await rest("POST", `/api/v1/workspaces/${workspaceId}/api-keys`, { headers, body: { name: "escalate", role: "admin" } })).status).toBe(403);
    expect((await rest("GET", `/api/v1/workspaces/${workspaceId}/api-keys`, { headers })).status).toBe(403);
  });

  it("with the member role cannot create a connection either; an admin key can", async () => {
    const memberKey = await createKey(owner, { name: "runner", role: "member" });
    expect(memberKey.body.role).toBe("member");
    const denied = await rest("POST", "/api/v1/connections", { headers: bearer(memberKey.body.key), body: { name: "x", provider: "openai", apiKey: "sk-member" } });
    expect(denied.status).toBe(403);

    const adminKey = await createKey(owner, { name: "ops", role: "admin" });
    const ok = await rest<{ connection: { id: string } }>("POST", "/api/v1/connections", {
      headers: bearer(adminKey.body.key),
      body: { name: "ops conn", provider: "anthropic", apiKey: "sk-ant-admin" },
    });
    expect(ok.status).toBe(201);
    const [row] = await api.deps.db.select().from(connections).where(eq(connections.id, ok.body.connection.id));
    expect(row).toMatchObject({ workspaceId, createdBy: null });
    const [audit] = await api.deps.db.select().from(auditLog).where(eq(auditLog.targetId, ok.body.connection.id));
    expect(audit).toMatchObject({ actorUserId: null, actorApiKeyId: adminKey.body.id });
  });

  it("cannot mint more keys or manage members, even with the admin role", async () => {
    const adminKey = await createKey(owner, { name: "automation", role: "admin" });
    const headers = bearer(adminKey.body.key);
    const keysNow = async () =>
      (await api.deps.db.select().from(apiKeys).where(eq(apiKeys.workspaceId, workspaceId))).map(({ lastUsedAt: _, ...key }) => key);
    const before = await keysNow();
    expect((await rest("POST", `/api/v1/workspaces/${workspaceId}/api-keys`, { headers, body: { name: "child", role: "admin" } })).status).toBe(403);
    expect((await rest("POST", `/api/v1/workspaces/${workspaceId}/members`, { headers, body: { email: member.user.email, role: "admin" } })).status).toBe(403);
    expect((await rest("PATCH", `/api/v1/workspaces/${workspaceId}/members/${member.user.id}`, { headers, body: { role: "admin" } })).status).toBe(403);
    expect((await rest("DELETE", `/api/v1/workspaces/${workspaceId}/members/${member.user.id}`, { headers })).status).toBe(403);
    expect((await rest("DELETE", `/api/v1/workspaces/${workspaceId}/api-keys/${adminKey.body.id}`, { headers })).status).toBe(403);
    expect(await keysNow()).toEqual(before);
  });

  it("default to the member role", async () => {
    const res = await createKey(admin, { name: "defaulted" });
    expect(res.status).toBe(201);
    expect(res.body.role).toBe("member");
  });

  it("never get more rights than their creator", async () => {
    const count = async () => (await api.deps.db.select().from(apiKeys)).length;
    const before = await count();

    // Owner keys are never issued, not even by an owner.
    for (const who of [owner, admin]) {
      const res = await createKey(who, { name: "root", role: "owner" });
      expect(res.status).toBe(400);
      expect((res.body as unknown as ErrorBody).error).toMatchObject({ code: "BAD_REQUEST", path: "role" });
    }
    const viaTrpc = await expectTrpcError(callerFor(api.deps, admin.user).apiKeys.create({ workspaceId, name: "root", role: "owner" as "admin" }), "BAD_REQUEST");
    expect(viaTrpc.message).toContain("role");

    // A member may not issue keys at all, whatever the role asked for.
    for (const role of ["viewer", "member", "admin"]) {
      const res = await createKey(member, { name: "mine", role });
      expect(res.status, role).toBe(403);
    }
    await expectTrpcError(callerFor(api.deps, member.user).apiKeys.create({ workspaceId, name: "mine", role: "viewer" }), "FORBIDDEN");

    // An admin may issue keys up to admin.
    const ok = await createKey(admin, { name: "admin-made", role: "admin" });
    expect(ok.status).toBe(201);
    expect(await count()).toBe(before + 1);
  });

  it("of another workspace cannot be revoked through this one", async () => {
    const other = await signUpUser(api, "Other");
    const otherWs = await callerFor(api.deps, other.user).workspaces.create({ name: "Other" });
    const otherKey = await rest<CreatedKey>("POST", `/api/v1/workspaces/${otherWs.id}/api-keys`, { headers: { cookie: other.cookie }, body: { name: "theirs" } });
    expect(otherKey.status).toBe(201);
    const res = await rest("DELETE", `/api/v1/workspaces/${workspaceId}/api-keys/${otherKey.body.id}`, { headers: { cookie: owner.cookie } });
    expect(res.status).toBe(404);
    const [row] = await api.deps.db.select().from(apiKeys).where(eq(apiKeys.id, otherKey.body.id));
    expect(row!.revokedAt).toBeNull();
    expect((await rest("GET", "/api/v1/me", { headers: bearer(otherKey.body.key) })).body).toMatchObject({ workspaceId: otherWs.id });
  });

  it("act with the lower of their role and their creator's current role, and stop when the creator leaves", async () => {
    const creator = await signUpUser(api, "Creator");
    const o = callerFor(api.deps, owner.user);
    await o.members.invite({ workspaceId, email: creator.user.email, role: "admin" });
    const made = await createKey(creator, { name: "creator-admin", role: "admin" });
    expect(made.status).toBe(201);
    const me = () => rest<{ role: string }>("GET", "/api/v1/me", { headers: bearer(made.body.key) });
    const connect = () =>
      rest("POST", "/api/v1/connections", { headers: bearer(made.body.key), body: { name: "via key", provider: "openai", apiKey: "sk-x" } });
    expect((await me()).body.role).toBe("admin");

    // Demoted to viewer: the admin key now acts as a viewer (it cannot create a connection).
    await o.members.updateRole({ workspaceId, userId: creator.user.id, role: "viewer" });
    expect((await me()).body.role).toBe("viewer");
    const refused = await connect();
    expect(refused.status, refused.text).toBe(403);

    // Promoted back: the key's own role is the ceiling again.
    await o.members.updateRole({ workspaceId, userId: creator.user.id, role: "owner" });
    expect((await me()).body.role).toBe("admin");
    expect((await connect()).status).toBe(201);

    // The creator leaves: the key stops authenticating, though it was never revoked.
    await callerFor(api.deps, creator.user).members.remove({ workspaceId, userId: creator.user.id });
    const after = await me();
    expect(after.status).toBe(401);
    expect((await connect()).status).toBe(401);
    const [row] = await api.deps.db.select().from(apiKeys).where(eq(apiKeys.id, made.body.id));
    expect(row!.revokedAt).toBeNull();
  });
});
