import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, connections, eq } from "@weft/db";
import { AppError, createSecretBox, getConnectionSecret, resolveEncryptionKey } from "../src";
import { callerFor, createTestApi, type TestApi } from "../src/testing";
import { expectTrpcError, restClient, signUpUser, type ErrorBody, type SignedUpUser } from "./support";

/** Connections: provider keys are encrypted at rest (AES-256-GCM) and never leave the server. */

const SECRET = "sk-test-SECRET-123456";
const NEW_SECRET = "sk-test-ROTATED-654321";
const REST_SECRET = "sk-test-RESTONLY-777888";

/** The secret and the encodings a careless implementation might store or return instead of it. */
const forms = (secret: string) => [
  secret,
  Buffer.from(secret).toString("base64"),
  Buffer.from(secret).toString("base64").replace(/=+$/, ""),
  Buffer.from(secret).toString("base64url"),
  Buffer.from(secret).toString("hex"),
];
const expectNoSecret = (value: unknown, label: string) => {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  for (const secret of [SECRET, NEW_SECRET, REST_SECRET]) {
    for (const form of forms(secret)) expect(text, `${label} contains ${secret} (as ${form})`).not.toContain(form);
  }
};

let api: TestApi;
let rest: ReturnType<typeof restClient>;
let owner: SignedUpUser;
let workspaceId: string;
let caller: ReturnType<typeof callerFor>;

const rowOf = async (id: string) => {
  const [row] = await api.deps.db.select().from(connections).where(eq(connections.id, id));
  if (!row) throw new Error(`no connection ${id}`);
  return row;
};

beforeAll(async () => {
  api = await createTestApi();
  rest = restClient(api);
  owner = await signUpUser(api, "Owner");
  caller = callerFor(api.deps, owner.user);
  workspaceId = (await caller.workspaces.create({ name: "Secrets Ltd" })).id;
});
afterAll(async () => api?.close());

describe("connection secrets", () => {
  let connectionId: string;

  it("are stored as v1 AES-GCM ciphertext that decrypts back with the deps' secret box", async () => {
    const created = await caller.connections.create({ workspaceId, name: "OpenAI", provider: "openai", apiKey: SECRET, config: { model: "gpt-4o-mini" } });
    expectNoSecret(created, "tRPC create");
    expect(created).toMatchObject({ name: "OpenAI", provider: "openai", baseUrl: null, config: { model: "gpt-4o-mini" } });
    expect(Object.keys(created)).not.toContain("secretCiphertext");
    connectionId = created.id;

    const row = await rowOf(connectionId);
    expect(row.secretCiphertext.startsWith("v1.")).toBe(true);
    expect(row.secretCiphertext.split(".")).toHaveLength(4);
    for (const form of forms(SECRET)) expect(row.secretCiphertext).not.toContain(form);
    // Nothing else in the row holds the secret either.
    const { secretCiphertext, ...rest } = row;
    expectNoSecret(rest, "connections row");
    expect(api.deps.secrets.decrypt(secretCiphertext)).toBe(SECRET);
    // Another key cannot open it, and a flipped bit is detected.
    expect(() => createSecretBox(randomBytes(32)).decrypt(secretCiphertext)).toThrow();
    const [v, iv, tag, data] = secretCiphertext.split(".");
    const flipped = Buffer.from(data!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    expect(() => api.deps.secrets.decrypt([v, iv, tag, flipped.toString("base64url")].join("."))).toThrow();
  });

  it("encrypt the same secret differently each time (random IV)", async () => {
    const twin = await caller.connections.create({ workspaceId, name: "OpenAI twin", provider: "openai", apiKey: SECRET });
    const [a, b] = [await rowOf(connectionId), await rowOf(twin.id)];
    expect(a.secretCiphertext).not.toBe(b.secretCiphertext);
    expect(api.deps.secrets.decrypt(b.secretCiphertext)).toBe(SECRET);
    await caller.connections.delete({ workspaceId, connectionId: twin.id });
  });

  it("never appear in tRPC list/byId/update responses; a new apiKey re-encrypts", async () => {
    expectNoSecret(await caller.connections.list({ workspaceId }), "tRPC list");
    expectNoSecret(await caller.connections.byId({ workspaceId, connectionId }), "tRPC byId");

    const before = await rowOf(connectionId);
    const renamed = await caller.connections.update({ workspaceId, connectionId, name: "OpenAI prod" });
    expectNoSecret(renamed, "tRPC update (name)");
    expect((await rowOf(connectionId)).secretCiphertext).toBe(before.secretCiphertext);

    api.clock.advance(1000);
    const rotated = await caller.connections.update({ workspaceId, connectionId, apiKey: NEW_SECRET });
    expectNoSecret(rotated, "tRPC update (apiKey)");
    expect(rotated.updatedAt.getTime()).toBe(api.clock.now.getTime());
    const after = await rowOf(connectionId);
    expect(after.secretCiphertext).not.toBe(before.secretCiphertext);
    expect(after.secretCiphertext.startsWith("v1.")).toBe(true);
    for (const form of forms(NEW_SECRET)) expect(after.secretCiphertext).not.toContain(form);
    expect(api.deps.secrets.decrypt(after.secretCiphertext)).toBe(NEW_SECRET);
  });

  it("never appear in REST create/list/get/patch responses", async () => {
    const headers = { cookie: owner.cookie, "x-weft-workspace": workspaceId };
    const created = await rest<{ connection: { id: string } }>("POST", "/api/v1/connections", {
      headers,
      body: { name: "Local LLM", provider: "openai_compatible", apiKey: REST_SECRET, baseUrl: "http://llm.internal.test/v1" },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ connection: { provider: "openai_compatible", baseUrl: "http://llm.internal.test/v1" } });
    expectNoSecret(created.text, "REST create");
    const id = created.body.connection.id;
    expect(api.deps.secrets.decrypt((await rowOf(id)).secretCiphertext)).toBe(REST_SECRET);

    const list = await rest<{ connections: unknown[] }>("GET", "/api/v1/connections", { headers });
    expect(list.status).toBe(200);
    expect(list.body.connections).toHaveLength(2);
    expectNoSecret(list.text, "REST list");
    const one = await rest("GET", `/api/v1/connections/${id}`, { headers });
    expect(one.status).toBe(200);
    expectNoSecret(one.text, "REST get");
    const patched = await rest("PATCH", `/api/v1/connections/${id}`, { headers, body: { apiKey: `${REST_SECRET}-2`, name: "Local LLM 2" } });
    expect(patched.status, patched.text).toBe(200);
    expectNoSecret(patched.text, "REST patch");
    expect(patched.text).not.toContain(`${REST_SECRET}-2`);
    expect(api.deps.secrets.decrypt((await rowOf(id)).secretCiphertext)).toBe(`${REST_SECRET}-2`);

    // An API key sees the same views.
    const key = await rest<{ key: string }>("POST", `/api/v1/workspaces/${workspaceId}/api-keys`, { headers: { cookie: owner.cookie }, body: { name: "reader", role: "viewer" } });
    const viaKey = await rest("GET", `/api/v1/connections/${id}`, { headers: { authorization: `Bearer ${key.body.key}` } });
    expect(viaKey.status).toBe(200);
    expectNoSecret(viaKey.text, "REST get via API key");
  });

  it("never appear in the audit log", async () => {
    const rows = await api.deps.db.select().from(auditLog).where(eq(auditLog.workspaceId, workspaceId));
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(["connection.create", "connection.update", "connection.delete"]));
    expectNoSecret(rows, "audit_log");
    // A rotation is recorded by field name only.
    expect(rows.filter((r) => r.action === "connection.update").map((r) => r.data)).toEqual(
      expect.arrayContaining([{ fields: ["name"] }, { fields: ["apiKey"] }, { fields: ["name", "apiKey"] }]),
    );
  });

  it("never appear in validation errors", async () => {
    const headers = { cookie: owner.cookie, "x-weft-workspace": workspaceId };
    const bad = await rest<ErrorBody>("POST", "/api/v1/connections", { headers, body: { name: "", provider: "openai", apiKey: SECRET } });
    expect(bad.status).toBe(400);
    expectNoSecret(bad.text, "REST 400");
    const error = await expectTrpcError(caller.connections.create({ workspaceId, name: "x", provider: "nope" as "openai", apiKey: SECRET }), "BAD_REQUEST");
    expectNoSecret(error.message, "tRPC 400");
  });
});

describe("openai_compatible connections", () => {
  it("need a base URL: 400 with path baseUrl (tRPC and REST), nothing stored", async () => {
    const count = async () => (await api.deps.db.select().from(connections)).length;
    const before = await count();
    const error = await expectTrpcError(caller.connections.create({ workspaceId, name: "Compat", provider: "openai_compatible", apiKey: SECRET }), "BAD_REQUEST");
    expect(error.message).toContain("baseUrl");
    expectNoSecret(error.message, "tRPC baseUrl error");

    const res = await rest<ErrorBody>("POST", "/api/v1/connections", {
      headers: { cookie: owner.cookie, "x-weft-workspace": workspaceId },
      body: { name: "Compat", provider: "openai_compatible", apiKey: SECRET },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "BAD_REQUEST", path: "baseUrl" });
    expectNoSecret(res.text, "REST baseUrl error");

    const notHttp = await rest<ErrorBody>("POST", "/api/v1/connections", {
      headers: { cookie: owner.cookie, "x-weft-workspace": workspaceId },
      body: { name: "Compat", provider: "openai_compatible", apiKey: SECRET, baseUrl: "file:///etc/passwd" },
    });
    expect(notHttp.status).toBe(400);
    expect(notHttp.body.error.path).toBe("baseUrl");
    expect(await count()).toBe(before);
  });

  it("cannot lose their base URL in an update", async () => {
    const created = await caller.connections.create({ workspaceId, name: "Compat", provider: "openai_compatible", apiKey: SECRET, baseUrl: "https://llm.example.test/v1" });
    const before = await rowOf(created.id);
    const error = await expectTrpcError(caller.connections.update({ workspaceId, connectionId: created.id, baseUrl: null }), "BAD_REQUEST");
    expect(error.message).toContain("baseUrl");
    const res = await rest<ErrorBody>("PATCH", `/api/v1/connections/${created.id}`, {
      headers: { cookie: owner.cookie, "x-weft-workspace": workspaceId },
      body: { baseUrl: null },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.path).toBe("baseUrl");
    expect(await rowOf(created.id)).toEqual(before);
  });
});

describe("changing a connection's base URL", () => {
  /** A provider stand-in on 127.0.0.1 that records the credentials it receives. */
  async function provider() {
    const seen: string[] = [];
    const server: Server = createServer((req, res) => {
      seen.push(String(req.headers.authorization ?? ""));
      res.writeHead(200, { "content-type": "application/json" }).end('{"data":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    return { seen, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it("without re-entering the key is refused (400 on apiKey), so the stored key is never sent to the new address", async () => {
    const legit = await provider();
    const attacker = await provider();
    try {
      const created = await caller.connections.create({ workspaceId, name: "Pointed", provider: "openai_compatible", apiKey: SECRET, baseUrl: legit.url });
      const before = await rowOf(created.id);

      // tRPC and REST both refuse the move without a key; nothing changes.
      const viaTrpc = await expectTrpcError(caller.connections.update({ workspaceId, connectionId: created.id, baseUrl: attacker.url }), "BAD_REQUEST");
      expect(viaTrpc.message).toContain("apiKey");
      const headers = { cookie: owner.cookie, "x-weft-workspace": workspaceId };
      const viaRest = await rest<ErrorBody>("PATCH", `/api/v1/connections/${created.id}`, { headers, body: { baseUrl: attacker.url, name: "moved" } });
      expect(viaRest.status, viaRest.text).toBe(400);
      expect(viaRest.body.error).toMatchObject({ code: "BAD_REQUEST", path: "apiKey" });
      expect(await rowOf(created.id)).toEqual(before);

      // The connection test still goes to the old address; the attacker's server hears nothing.
      expect(await caller.connections.test({ workspaceId, connectionId: created.id })).toMatchObject({ ok: true });
      expect(legit.seen).toEqual([`Bearer ${SECRET}`]);
      expect(attacker.seen).toEqual([]);

      // With a new key the move is allowed, and only that key goes to the new address.
      await caller.connections.update({ workspaceId, connectionId: created.id, baseUrl: attacker.url, apiKey: NEW_SECRET });
      expect(await caller.connections.test({ workspaceId, connectionId: created.id })).toMatchObject({ ok: true });
      expect(attacker.seen).toEqual([`Bearer ${NEW_SECRET}`]);

      // Keeping the same base URL (or only renaming) needs no key.
      await caller.connections.update({ workspaceId, connectionId: created.id, baseUrl: attacker.url, name: "Renamed" });
      await caller.connections.delete({ workspaceId, connectionId: created.id });
    } finally {
      await legit.close();
      await attacker.close();
    }
  });
});

describe("getConnectionSecret", () => {
  it("returns the decrypted key to server-side callers, within the workspace only", async () => {
    const created = await caller.connections.create({ workspaceId, name: "Anthropic", provider: "anthropic", apiKey: SECRET });
    const secret = await getConnectionSecret(api.deps, { workspaceId, connectionId: created.id });
    expect(secret).toMatchObject({ id: created.id, name: "Anthropic", provider: "anthropic", apiKey: SECRET });
    expect(Object.keys(secret)).not.toContain("secretCiphertext");

    const other = await callerFor(api.deps, (await signUpUser(api, "Other")).user).workspaces.create({ name: "Other" });
    await expect(getConnectionSecret(api.deps, { workspaceId: other.id, connectionId: created.id })).rejects.toBeInstanceOf(AppError);
    await expect(getConnectionSecret(api.deps, { workspaceId, connectionId: randomUUID() })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("resolveEncryptionKey", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-key-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("uses an explicit base64 key as is", () => {
    const key = randomBytes(32);
    const resolved = resolveEncryptionKey({ explicitKey: key.toString("base64"), dataDir: path.join(dir, "unused") });
    expect(resolved.equals(key)).toBe(true);
    expect(fs.existsSync(path.join(dir, "unused"))).toBe(false);
  });

  it("rejects an explicit key of the wrong length", () => {
    for (const bytes of [16, 31, 33, 64]) {
      expect(() => resolveEncryptionKey({ explicitKey: randomBytes(bytes).toString("base64"), dataDir: dir }), `${bytes} bytes`).toThrow(/32 bytes/);
    }
    expect(() => createSecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });

  it("generates a key once into the data folder with mode 0600 and reuses it", () => {
    const dataDir = path.join(dir, "nested", ".data");
    const first = resolveEncryptionKey({ dataDir });
    expect(first).toHaveLength(32);
    const file = path.join(dataDir, "encryption.key");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64").equals(first)).toBe(true);

    const second = resolveEncryptionKey({ dataDir });
    expect(second.equals(first)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    // A box built from it round-trips, and an explicit key still wins over the file.
    const box = createSecretBox(second);
    expect(box.decrypt(createSecretBox(first).encrypt(SECRET))).toBe(SECRET);
    const explicit = randomBytes(32);
    expect(resolveEncryptionKey({ explicitKey: explicit.toString("base64"), dataDir }).equals(explicit)).toBe(true);
    expect(resolveEncryptionKey({ dataDir }).equals(first)).toBe(true);
  });
});
