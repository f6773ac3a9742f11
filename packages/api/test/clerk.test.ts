import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from "vitest";
import { and, eq, users, workspaceMembers, workspaces } from "@weft/db";
import { createClerkAuthenticator } from "../src/auth/clerk";
import type { Authenticator } from "../src/auth/authenticator";
import { createRestApp } from "../src/rest/app";
import { createTestApi, type TestApi } from "../src/testing";
import type { ErrorBody } from "./support";

/**
 * The Clerk path, offline: session tokens minted here with a local RS256 key are verified by
 * @clerk/backend with `jwtKey` (networkless verification); any network attempt fails the test at once.
 */

const FRONTEND_API = "clerk.weft.test";
// A production publishable key encodes the frontend API host: base64("clerk.weft.test$"), unpadded.
const PUBLISHABLE_KEY = `pk_live_${Buffer.from(`${FRONTEND_API}$`).toString("base64").replace(/=+$/, "")}`;
const ISSUER = `https://${FRONTEND_API}`;
const APP = "http://localhost:3000";

let api: TestApi;
let clerk: Authenticator;
let privateKey: CryptoKey;
let strangerKey: CryptoKey;
let fetchSpy: MockInstance<typeof fetch>;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A Clerk v2 session token: `o` carries the active organization (id, role without `org:`, slug). */
function mint(claims: JWTPayload & Record<string, unknown> = {}, options: { key?: CryptoKey; sub?: string; iat?: number; exp?: number } = {}) {
  const iat = options.iat ?? nowSeconds() - 10;
  return new SignJWT({ sid: "sess_1", azp: APP, v: 2, o: { id: "org_1", rol: "admin", slg: "acme" }, ...claims })
    .setProtectedHeader({ alg: "RS256", kid: "ins_test", typ: "JWT" })
    .setSubject(options.sub ?? "user_abc")
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(options.exp ?? nowSeconds() + 60)
    .sign(options.key ?? privateKey);
}

const bearerRequest = (token: string) => new Request(`${APP}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });

async function workspaceOfOrg(orgId: string) {
  const [row] = await api.deps.db.select().from(workspaces).where(eq(workspaces.clerkOrgId, orgId));
  return row;
}
async function roleIn(workspaceId: string, userId: string) {
  const [row] = await api.deps.db
    .select({ role: workspaceMembers.role })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, userId)));
  return row?.role;
}

beforeAll(async () => {
  vi.stubEnv("CLERK_TELEMETRY_DISABLED", "1");
  // No network on this machine: a verification that tried Clerk's servers must fail fast, not hang.
  // @clerk/backend looks the global `fetch` up at call time only when NODE_ENV is "test" (otherwise it
  // keeps the one bound at import), so pin it for the spy below to see every attempt.
  vi.stubEnv("NODE_ENV", "test");
  fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
    throw new Error(`network access attempted in an offline test: ${String(input instanceof Request ? input.url : input)}`);
  });
  api = await createTestApi();
  const pair = await generateKeyPair("RS256", { extractable: true });
  privateKey = pair.privateKey;
  strangerKey = (await generateKeyPair("RS256", { extractable: true })).privateKey;
  clerk = createClerkAuthenticator(api.deps, {
    secretKey: "sk_live_fake",
    publishableKey: PUBLISHABLE_KEY,
    jwtKey: await exportSPKI(pair.publicKey),
    authorizedParties: [APP],
  });
});
afterAll(async () => {
  await api?.close();
  const attempts = fetchSpy.mock.calls.length;
  fetchSpy.mockRestore();
  vi.unstubAllEnvs();
  // Nothing, in any test, went to the network.
  expect(attempts).toBe(0);
});

describe("Clerk authenticator", () => {
  it("verifies a bearer session token locally and mirrors the user and the active organization", async () => {
    const identity = await clerk.authenticate(bearerRequest(await mint()));
    expect(identity).not.toBeNull();

    const [user] = await api.deps.db.select().from(users).where(eq(users.clerkUserId, "user_abc"));
    expect(user).toMatchObject({ clerkUserId: "user_abc", passwordHash: null, email: "user_abc@users.clerk.invalid" });
    expect(identity!.user).toEqual({ id: user!.id, email: user!.email, name: user!.name });

    const workspace = await workspaceOfOrg("org_1");
    expect(workspace).toMatchObject({ clerkOrgId: "org_1", name: "acme", createdBy: user!.id });
    expect(identity!.activeWorkspaceId).toBe(workspace!.id);
    expect(await roleIn(workspace!.id, user!.id)).toBe("admin");
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("is idempotent and follows role changes made in Clerk", async () => {
    await clerk.authenticate(bearerRequest(await mint()));
    const identity = await clerk.authenticate(bearerRequest(await mint({ o: { id: "org_1", rol: "member", slg: "acme" }, email: "Ada@Acme.test", name: "Ada" })));
    expect(await api.deps.db.select().from(users)).toHaveLength(1);
    expect(await api.deps.db.select().from(workspaces)).toHaveLength(1);
    expect(identity!.user).toMatchObject({ email: "ada@acme.test", name: "Ada" });
    expect(await roleIn(identity!.activeWorkspaceId!, identity!.user.id)).toBe("member");
    // Back to admin for the REST checks below.
    await clerk.authenticate(bearerRequest(await mint()));
    expect(await roleIn(identity!.activeWorkspaceId!, identity!.user.id)).toBe("admin");
  });

  it("reads v1 organization claims (org_id / org_role) too", async () => {
    const identity = await clerk.authenticate(
      bearerRequest(await mint({ v: undefined, o: undefined, org_id: "org_2", org_role: "org:viewer", org_slug: "beta" }, { sub: "user_v1" })),
    );
    const workspace = await workspaceOfOrg("org_2");
    expect(workspace).toMatchObject({ name: "beta" });
    expect(identity!.activeWorkspaceId).toBe(workspace!.id);
    expect(await roleIn(workspace!.id, identity!.user.id)).toBe("viewer");
  });

  it("drops a membership once Clerk no longer puts the user in that organization", async () => {
    const first = await clerk.authenticate(bearerRequest(await mint({ o: { id: "org_x", rol: "admin", slg: "x" } }, { sub: "user_mover" })));
    const orgX = first!.activeWorkspaceId!;
    expect(await roleIn(orgX, first!.user.id)).toBe("admin");
    const token = await mint({ o: { id: "org_y", rol: "member", slg: "y" } }, { sub: "user_mover" });
    const second = await clerk.authenticate(bearerRequest(token));
    expect(await roleIn(orgX, second!.user.id)).toBeUndefined();
    // The old workspace is unreachable through the REST API too, and no key can be minted there.
    const app = createRestApp({ deps: api.deps, authenticator: clerk });
    const res = await app.request(`/api/v1/workspaces/${orgX}/api-keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "stale", role: "admin" }),
    });
    expect(res.status).toBe(404);
  });

  it("keeps two accounts with the same email apart instead of failing", async () => {
    const one = await clerk.authenticate(bearerRequest(await mint({ email: "dup@example.com" }, { sub: "user_one" })));
    const two = await clerk.authenticate(bearerRequest(await mint({ email: "dup@example.com" }, { sub: "user_two" })));
    expect(one!.user.email).toBe("dup@example.com");
    expect(two!.user.id).not.toBe(one!.user.id);
    expect(two!.user.email).toBe("user_two@users.clerk.invalid");
  });

  it("signs in a user without an active organization, without creating a workspace", async () => {
    const before = await api.deps.db.select().from(workspaces);
    const identity = await clerk.authenticate(bearerRequest(await mint({ o: undefined }, { sub: "user_solo" })));
    expect(identity).toMatchObject({ user: { email: "user_solo@users.clerk.invalid" } });
    expect(identity!.activeWorkspaceId).toBeUndefined();
    expect(await api.deps.db.select().from(workspaces)).toEqual(before);
  });

  it("accepts the token from the __session cookie (with Clerk's __client_uat cookie)", async () => {
    const iat = nowSeconds() - 10;
    const token = await mint({}, { iat });
    const identity = await clerk.authenticate(new Request(`${APP}/api/v1/me`, { headers: { cookie: `__client_uat=${iat}; __session=${token}` } }));
    expect(identity?.activeWorkspaceId).toBe((await workspaceOfOrg("org_1"))!.id);
  });

  it("rejects a foreign signature, an expired token, a wrong or missing azp, and malformed tokens", async () => {
    const users0 = await api.deps.db.select().from(users);
    const workspaces0 = await api.deps.db.select().from(workspaces);
    const evil = { sub: "user_evil" };
    const rejected: Array<[string, string]> = [
      ["signed with another key", await mint({ o: { id: "org_evil", rol: "owner" } }, { ...evil, key: strangerKey })],
      ["expired", await mint({}, { ...evil, iat: nowSeconds() - 600, exp: nowSeconds() - 120 })],
      ["not yet valid", await mint({}, { ...evil, iat: nowSeconds() + 600, exp: nowSeconds() + 900 })],
      ["wrong azp", await mint({ azp: "https://evil.example" }, evil)],
      ["no azp", await mint({ azp: undefined }, evil)],
      ["alg none", `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${Buffer.from(JSON.stringify({ sub: "user_evil", azp: APP, exp: nowSeconds() + 60 })).toString("base64url")}.`],
      ["garbage", "not-a-jwt"],
    ];
    for (const [label, token] of rejected) {
      expect(await clerk.authenticate(bearerRequest(token)), label).toBeNull();
      expect(await clerk.authenticate(new Request(`${APP}/api/v1/me`, { headers: { cookie: `__client_uat=1; __session=${token}` } })), `${label} (cookie)`).toBeNull();
    }
    // A tampered payload under a valid signature.
    const [h, , s] = (await mint()).split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: "user_evil", azp: APP, exp: nowSeconds() + 60, v: 2, o: { id: "org_1", rol: "owner" } })).toString("base64url")}.${s}`;
    expect(await clerk.authenticate(bearerRequest(forged))).toBeNull();
    expect(await clerk.authenticate(new Request(`${APP}/api/v1/me`))).toBeNull();

    // Nothing was mirrored from a rejected token.
    expect(await api.deps.db.select().from(users)).toEqual(users0);
    expect(await api.deps.db.select().from(workspaces)).toEqual(workspaces0);
  });
});

describe("REST app with the Clerk authenticator", () => {
  let app: ReturnType<typeof createRestApp>;
  beforeAll(() => {
    app = createRestApp({ deps: api.deps, authenticator: clerk });
  });

  it("answers GET /api/v1/me with the bearer session token in the organization's workspace, and 401 without it", async () => {
    const res = await app.request("/api/v1/me", { headers: { authorization: `Bearer ${await mint()}` } });
    expect(res.status).toBe(200);
    const [user] = await api.deps.db.select().from(users).where(eq(users.clerkUserId, "user_abc"));
    expect(await res.json()).toEqual({
      workspaceId: (await workspaceOfOrg("org_1"))!.id,
      role: "admin",
      userId: user!.id,
      user: { id: user!.id, email: user!.email, name: user!.name },
    });

    const attempts: Array<Record<string, string>> = [{}, { authorization: `Bearer ${await mint({}, { key: strangerKey })}` }, { authorization: `Bearer ${await mint({ azp: "https://evil.example" })}` }];
    for (const headers of attempts) {
      const denied = await app.request("/api/v1/me", { headers });
      expect(denied.status).toBe(401);
      expect(((await denied.json()) as ErrorBody).error.code).toBe("UNAUTHORIZED");
    }
  });

  it("uses the organization's workspace for admin work, and the role Clerk gives", async () => {
    const workspaceId = (await workspaceOfOrg("org_1"))!.id;
    const created = await app.request(`/api/v1/workspaces/${workspaceId}/api-keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${await mint()}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "from clerk", role: "viewer" }),
    });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    // API keys keep working next to Clerk: `weft_` bearers are keys.
    const viaKey = await app.request("/api/v1/me", { headers: { authorization: `Bearer ${key}` } });
    expect(viaKey.status).toBe(200);
    expect(await viaKey.json()).toMatchObject({ workspaceId, role: "viewer", userId: null });

    // As a Clerk org member (not admin), managing keys is forbidden.
    const asMember = await app.request(`/api/v1/workspaces/${workspaceId}/api-keys`, { headers: { authorization: `Bearer ${await mint({ o: { id: "org_1", rol: "member", slg: "acme" } })}` } });
    expect(asMember.status).toBe(403);
    await clerk.authenticate(bearerRequest(await mint()));
  });

  it("leaves sign-up and sign-in to Clerk", async () => {
    const res = await app.request("/api/auth/sign-up", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "local@example.com", password: "correct horse", name: "Local" }),
    });
    expect(res.status).toBe(404);
    expect(await api.deps.db.select().from(users).where(eq(users.email, "local@example.com"))).toEqual([]);
  });
});
