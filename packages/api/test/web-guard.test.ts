import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workspaces } from "@weft/db";
import { createLocalAuthenticator } from "../src/auth/local";
import { createRestApp } from "../src/rest/app";
import { createTestApi, type TestApi } from "../src/testing";
import { createTrpcHandler } from "../src/trpc/handler";
import { restClient, signUpUser, type ErrorBody, type SignedUpUser } from "./support";

/** Cross-site writes, body-less commands, the Secure cookie and tRPC's body and batch limits. */

const APP = "http://localhost";
const EVIL = "https://evil.example";

let api: TestApi;
let rest: ReturnType<typeof restClient>;
let owner: SignedUpUser;
let workspaceId: string;
let trpc: (request: Request) => Promise<Response>;

const workspaceCount = async () => (await api.deps.db.select({ id: workspaces.id }).from(workspaces)).length;

beforeAll(async () => {
  api = await createTestApi();
  rest = restClient(api);
  owner = await signUpUser(api, "Owner");
  const created = await rest<{ workspace: { id: string } }>("POST", "/api/v1/workspaces", { headers: { cookie: owner.cookie }, body: { name: "Home" } });
  workspaceId = created.body.workspace.id;
  trpc = createTrpcHandler({ deps: api.deps, authenticator: createLocalAuthenticator(api.deps), maxBodyBytes: 64 * 1024, maxBatchSize: 5 });
});
afterAll(async () => api?.close());

/** A tRPC mutation as the web client sends it (superjson, batch of one). */
const trpcMutation = (path: string, input: unknown, headers: Record<string, string>) =>
  trpc(
    new Request(`${APP}/api/trpc/${path}?batch=1`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ 0: { json: input } }),
    }),
  );

describe("cross-site writes with the session cookie", () => {
  it("answer 403 CROSS_SITE_REQUEST on REST (Origin or Sec-Fetch-Site from another site) and change nothing", async () => {
    const before = await workspaceCount();
    const attempts: Array<Record<string, string>> = [{ origin: EVIL }, { "sec-fetch-site": "cross-site" }, { "sec-fetch-site": "same-site", origin: "https://app.localhost" }, { origin: "null" }];
    for (const headers of attempts) {
      const res = await rest<ErrorBody>("POST", "/api/v1/workspaces", { headers: { cookie: owner.cookie, ...headers }, body: { name: "Planted" } });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.body.error.code).toBe("CROSS_SITE_REQUEST");
      const del = await rest<ErrorBody>("DELETE", `/api/v1/workspaces/${workspaceId}/members/${owner.user.id}`, { headers: { cookie: owner.cookie, ...headers } });
      expect(del.status).toBe(403);
    }
    // Signing someone in to the attacker's account (login CSRF) is refused too.
    const signIn = await rest<ErrorBody>("POST", "/api/auth/sign-in", { headers: { origin: EVIL }, body: { email: "owner@example.com", password: "correct horse battery" } });
    expect(signIn.status).toBe(403);
    expect(await workspaceCount()).toBe(before);
  });

  it("pass from the app's own origin, with the browser's same-origin marker, and from clients that send neither header", async () => {
    const allowed: Array<Record<string, string>> = [{ origin: APP }, { "sec-fetch-site": "same-origin", origin: APP }, {}];
    for (const headers of allowed) {
      const res = await rest("PATCH", `/api/v1/workspaces/${workspaceId}`, { headers: { cookie: owner.cookie, ...headers }, body: { name: "Home" } });
      expect(res.status, res.text).toBe(200);
    }
    // Reads are never refused: a cross-site GET cannot read the answer (no CORS) and changes nothing.
    expect((await rest("GET", "/api/v1/workspaces", { headers: { cookie: owner.cookie, origin: EVIL, "sec-fetch-site": "cross-site" } })).status).toBe(200);
  });

  it("do not apply to API keys (bearer) or webhooks, which are not cookie-authenticated", async () => {
    const key = await rest<{ key: string }>("POST", `/api/v1/workspaces/${workspaceId}/api-keys`, { headers: { cookie: owner.cookie }, body: { name: "ci", role: "admin" } });
    expect(key.status).toBe(201);
    const viaKey = await rest("PATCH", `/api/v1/workspaces/${workspaceId}`, {
      headers: { authorization: `Bearer ${key.body.key}`, origin: EVIL, "sec-fetch-site": "cross-site" },
      body: { name: "Home" },
    });
    expect(viaKey.status, viaKey.text).toBe(200);
    const hook = await rest<ErrorBody>("POST", "/api/webhooks/00000000-0000-4000-8000-000000000000", { headers: { origin: EVIL, "sec-fetch-site": "cross-site" }, body: {} });
    expect(hook.status).toBe(404);
  });

  it("answer 403 on tRPC mutations too; same-origin ones pass", async () => {
    const before = await workspaceCount();
    const refused = await trpcMutation("workspaces.create", { name: "Planted" }, { cookie: owner.cookie, origin: EVIL });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ErrorBody).error.code).toBe("CROSS_SITE_REQUEST");
    const crossSite = await trpcMutation("workspaces.create", { name: "Planted" }, { cookie: owner.cookie, "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    expect(await workspaceCount()).toBe(before);

    const ok = await trpcMutation("workspaces.create", { name: "Mine" }, { cookie: owner.cookie, "sec-fetch-site": "same-origin", origin: APP });
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect(await workspaceCount()).toBe(before + 1);
  });
});

describe("request shape", () => {
  it("a POST that needs a body is refused without one (400 naming the field), not run on an empty input", async () => {
    const before = await workspaceCount();
    const res = await api.rest.request("/api/v1/workspaces", { method: "POST", headers: { cookie: owner.cookie } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.code).toBe("BAD_REQUEST");
    expect(await workspaceCount()).toBe(before);
  });

  it("tRPC refuses a body past its limit (413) and a batch past its limit (400)", async () => {
    const big = await trpcMutation("workspaces.create", { name: "x".repeat(70 * 1024) }, { cookie: owner.cookie });
    expect(big.status).toBe(413);
    expect(((await big.json()) as ErrorBody).error.code).toBe("PAYLOAD_TOO_LARGE");

    // A chunked body (no content-length) is cut off while it streams.
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 100) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const streamed = await trpc(
      new Request(`${APP}/api/trpc/workspaces.create?batch=1`, { method: "POST", headers: { "content-type": "application/json", cookie: owner.cookie }, body: stream, duplex: "half" } as RequestInit),
    );
    expect(streamed.status).toBe(413);
    expect(sent).toBeLessThan(100);

    const paths = Array.from({ length: 6 }, () => "workspaces.list").join(",");
    const input = encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [i, { json: null }]))));
    const batch = await trpc(new Request(`${APP}/api/trpc/${paths}?batch=1&input=${input}`, { headers: { cookie: owner.cookie } }));
    expect(batch.status).toBe(400);
    const five = paths.split(",").slice(0, 5).join(",");
    expect((await trpc(new Request(`${APP}/api/trpc/${five}?batch=1&input=${input}`, { headers: { cookie: owner.cookie } }))).status).toBe(200);
  });
});

describe("the session cookie", () => {
  it("is Secure when WEFT_PUBLIC_URL is https, even though the request reached the server over http (TLS proxy)", async () => {
    const behindProxy = createRestApp({ deps: api.deps, authenticator: createLocalAuthenticator(api.deps), publicUrl: "https://weft.example.com" });
    const res = await behindProxy.request("/api/auth/sign-up", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://weft.example.com" },
      body: JSON.stringify({ email: "proxied@example.com", password: "correct horse battery", name: "Proxied" }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("set-cookie")).toMatch(/;\s*Secure/i);

    const plain = await rest("POST", "/api/auth/sign-in", { body: { email: "proxied@example.com", password: "correct horse battery" } });
    expect(plain.status).toBe(200);
  });

  it("is not Secure on plain http without a public URL", async () => {
    const res = await api.rest.request("/api/auth/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "owner@example.com", password: "correct horse battery" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).not.toMatch(/Secure/i);
  });
});

