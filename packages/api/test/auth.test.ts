import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rateLimits, sessions, users } from "@weft/db";
import { createTestApi, type TestApi } from "../src/testing";

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => api?.close());

const post = async (path: string, body: unknown, headers: Record<string, string> = {}) =>
  api.rest.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

const cookieOf = (res: Response) => /weft_session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];

describe("local auth", () => {
  it("signs up, reads the session, signs out, and the cookie stops working", async () => {
    const res = await post("/api/auth/sign-up", { email: "Ada@Example.com", password: "correct horse", name: "Ada" });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ user: { email: "ada@example.com", name: "Ada" } });
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const token = cookieOf(res)!;

    const session = await api.rest.request("/api/auth/session", { headers: { cookie: `weft_session=${token}` } });
    expect(session.status).toBe(200);

    // Only the hash of the token is stored, and the password is hashed with scrypt.
    const [stored] = await api.deps.db.select().from(sessions);
    expect(stored!.tokenHash).not.toContain(token);
    const [user] = await api.deps.db.select().from(users);
    expect(user!.passwordHash).toMatch(/^scrypt\$/);
    expect(user!.passwordHash).not.toContain("correct horse");

    const out = await api.rest.request("/api/auth/sign-out", { method: "POST", headers: { cookie: `weft_session=${token}` } });
    expect(out.status).toBe(200);
    const after = await api.rest.request("/api/auth/session", { headers: { cookie: `weft_session=${token}` } });
    expect(after.status).toBe(401);
  });

  it("rejects a duplicate email with 409 and invalid input with 400 naming the field", async () => {
    const dup = await post("/api/auth/sign-up", { email: "ada@example.com", password: "another one", name: "Ada 2" });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({ error: { code: "CONFLICT", path: "email" } });

    const bad = await post("/api/auth/sign-up", { email: "not-an-email", password: "short", name: "" });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { path: string; message: string } };
    expect(["email", "password", "name"]).toContain(body.error.path);
    expect(body.error.message).toContain(body.error.path);

    const notJson = await api.rest.request("/api/auth/sign-up", { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" });
    expect(notJson.status).toBe(415);
  });

  it("answers the same 401 for a wrong password and an unknown email", async () => {
    const wrongPassword = await post("/api/auth/sign-in", { email: "ada@example.com", password: "wrong password" }, { "x-forwarded-for": "10.0.0.1" });
    const unknownEmail = await post("/api/auth/sign-in", { email: "nobody@example.com", password: "correct horse" }, { "x-forwarded-for": "10.0.0.1" });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(await wrongPassword.json()).toEqual(await unknownEmail.json());
    const good = await post("/api/auth/sign-in", { email: "ADA@example.com", password: "correct horse" }, { "x-forwarded-for": "10.0.0.1" });
    expect(good.status).toBe(200);
    expect(cookieOf(good)).toBeTruthy();
  });

  it("refuses repeated failed sign-ins from one address with 429 and Retry-After, then lets it in after the window", async () => {
    const from = { "x-forwarded-for": "10.0.0.9" };
    for (let i = 0; i < 5; i++) {
      expect((await post("/api/auth/sign-in", { email: "ada@example.com", password: `guess ${i}` }, from)).status).toBe(401);
    }
    const limited = await post("/api/auth/sign-in", { email: "ada@example.com", password: "correct horse" }, from);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await post("/api/auth/sign-in", { email: "ada@example.com", password: "correct horse" }, { "x-forwarded-for": "10.0.0.10" })).status).toBe(200);
    api.clock.advance(15 * 60 * 1000 + 1);
    expect((await post("/api/auth/sign-in", { email: "ada@example.com", password: "correct horse" }, from)).status).toBe(200);
  });

  it("also limits failures on one account spread over many forged addresses", async () => {
    await post("/api/auth/sign-up", { email: "grace@example.com", password: "correct horse", name: "Grace" });
    for (let i = 0; i < 10; i++) {
      const res = await post("/api/auth/sign-in", { email: "grace@example.com", password: `guess ${i}` }, { "x-forwarded-for": `10.1.0.${i}` });
      expect(res.status).toBe(401);
    }
    const limited = await post("/api/auth/sign-in", { email: "grace@example.com", password: "correct horse" }, { "x-forwarded-for": "10.1.0.200" });
    expect(limited.status).toBe(429);
    // Other accounts are not affected.
    expect((await post("/api/auth/sign-in", { email: "ada@example.com", password: "correct horse" }, { "x-forwarded-for": "10.1.0.201" })).status).toBe(200);
    api.clock.advance(15 * 60 * 1000 + 1);
    expect((await post("/api/auth/sign-in", { email: "grace@example.com", password: "correct horse" }, { "x-forwarded-for": "10.1.0.200" })).status).toBe(200);
  });

  it("counts parallel guesses before hashing: of 20 at once from one address, only the limit's worth are tried", async () => {
    await post("/api/auth/sign-up", { email: "linus@example.com", password: "correct horse", name: "Linus" });
    const from = { "x-forwarded-for": "10.2.0.1" };
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post("/api/auth/sign-in", { email: "linus@example.com", password: `guess ${i}` }, from)),
    );
    const statuses = answers.map((res) => res.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    // The right password is refused too while the address is over its limit.
    expect((await post("/api/auth/sign-in", { email: "linus@example.com", password: "correct horse" }, from)).status).toBe(429);
    api.clock.advance(15 * 60 * 1000 + 1);
  });

  it("expires sessions after their time to live", async () => {
    const res = await post("/api/auth/sign-in", { email: "ada@example.com", password: "correct horse" }, { "x-forwarded-for": "10.0.0.2" });
    const token = cookieOf(res)!;
    const headers = { cookie: `weft_session=${token}` };
    expect((await api.rest.request("/api/auth/session", { headers })).status).toBe(200);
    api.clock.advance(24 * 3600 * 1000 + 1);
    expect((await api.rest.request("/api/auth/session", { headers })).status).toBe(401);
    expect((await api.rest.request("/api/v1/me", { headers })).status).toBe(401);
  });
});

describe("without a trusted proxy", () => {
  let direct: TestApi;
  beforeAll(async () => {
    direct = await createTestApi({ trustProxy: false, signUpLimit: { max: 2, windowMs: 60_000 } });
  });
  afterAll(async () => direct?.close());
  const postDirect = async (path: string, body: unknown, headers: Record<string, string> = {}) =>
    direct.rest.request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

  it("ignores X-Forwarded-For: forged addresses do not reset the account limit, and no address is locked out for everyone", async () => {
    expect((await postDirect("/api/auth/sign-up", { email: "ada@example.com", password: "correct horse", name: "Ada" })).status).toBe(201);
    // 10 failures (the account limit) from 10 forged addresses, then the 11th attempt is refused.
    for (let i = 0; i < 10; i++) {
      expect((await postDirect("/api/auth/sign-in", { email: "ada@example.com", password: `guess ${i}` }, { "x-forwarded-for": `10.3.0.${i}` })).status).toBe(401);
    }
    expect((await postDirect("/api/auth/sign-in", { email: "ada@example.com", password: "correct horse" }, { "x-forwarded-for": "10.3.0.99" })).status).toBe(429);
    // No per-address counter was kept for the forged addresses.
    const keys = (await direct.deps.db.select().from(rateLimits)).map((row) => row.key);
    expect(keys.filter((key) => key.startsWith("sign-in:address:"))).toEqual([]);
  });

  it("limits sign-ups in all (ten times the per-address limit), whatever addresses the requests claim", async () => {
    const answers = [];
    for (let i = 0; i < 21; i++) {
      answers.push((await postDirect("/api/auth/sign-up", { email: `u${i}@example.com`, password: "correct horse", name: `U${i}` }, { "x-forwarded-for": `10.4.0.${i}` })).status);
    }
    // One account exists already from the test above: 19 more fit under 20, then 429.
    expect(answers.filter((s) => s === 201)).toHaveLength(19);
    expect(answers.slice(19)).toEqual([429, 429]);
  });
});

describe("sign-up throttling behind a trusted proxy", () => {
  it("refuses the third sign-up from one address within the window (429), before hashing; another address is not affected", async () => {
    const limited = await createTestApi({ signUpLimit: { max: 2, windowMs: 60_000 } });
    try {
      const signUp = async (i: number, from: string) =>
        limited.rest.request("/api/auth/sign-up", {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": from },
          body: JSON.stringify({ email: `s${i}@example.com`, password: "correct horse", name: `S${i}` }),
        });
      const parallel = await Promise.all([0, 1, 2, 3].map((i) => signUp(i, "10.5.0.1")));
      expect(parallel.map((res) => res.status).sort()).toEqual([201, 201, 429, 429]);
      expect(Number(parallel.find((res) => res.status === 429)!.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await limited.database.db.select().from(users)).length).toBe(2);
      expect((await signUp(9, "10.5.0.2")).status).toBe(201);
    } finally {
      await limited.close();
    }
  });
});
