import http from "node:http";
import { type AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type HostLookup } from "./address-policy";
import {
  HttpBlockedError,
  HttpInvalidUrlError,
  HttpNetworkError,
  HttpRedirectError,
  HttpTimeoutError,
  HttpTooLargeError,
} from "./errors";
import { createGuardedFetch, type GuardedFetch } from "./guarded-fetch";
import { httpRequest } from "./http-request";

// ---------------------------------------------------------------------------------------------
// Real servers on loopback. Each counts TCP connections, so "refused before connecting" is
// observable: a blocked request must leave the count at zero.

type Recorded = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };

type TestServer = {
  port: number;
  connections: () => number;
  requests: Recorded[];
};

const servers: http.Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

/** Default handler: answers 200 with a JSON description of the request. */
const echo: http.RequestListener = (req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ method: req.method, url: req.url }));
};

async function startServer(handler: http.RequestListener = echo, host = "127.0.0.1"): Promise<TestServer> {
  const requests: Recorded[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      void handler(req, res);
    });
  });
  server.on("connection", () => (connections += 1));
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  return { port: (server.address() as AddressInfo).port, connections: () => connections, requests };
}

async function canListenOn(host: string): Promise<boolean> {
  const server = http.createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(0, host, () => server.close(() => resolve(true)));
  });
}

// A dual-stack server on "::" receives 127.0.0.x, 0.0.0.0, ::1, :: and ::ffff:127.0.0.1 alike.
const hasIPv6 = await canListenOn("::");
const victimHost = hasIPv6 ? "::" : "0.0.0.0";

/** A resolver for names under .test, so no test needs real DNS. */
function fakeDns(records: Record<string, string[]>): HostLookup {
  return async (hostname) => {
    const addresses = records[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

// ---------------------------------------------------------------------------------------------

describe("refused before connecting", () => {
  const targets: [string, (port: number) => string, boolean][] = [
    // [label, url for the victim server's port, needs IPv6]
    ["loopback 127.0.0.1", (port) => `http://127.0.0.1:${port}/`, false],
    ["loopback 127.0.0.2", (port) => `http://127.0.0.2:${port}/`, false],
    ["loopback ::1", (port) => `http://[::1]:${port}/`, true],
    ["localhost", (port) => `http://localhost:${port}/`, false],
    ["*.localhost", (port) => `http://app.localhost:${port}/`, false],
    ["localhost with a trailing dot", (port) => `http://localhost.:${port}/`, false],
    ["IPv4-mapped [::ffff:127.0.0.1]", (port) => `http://[::ffff:127.0.0.1]:${port}/`, true],
    ["IPv4-mapped [::ffff:7f00:1]", (port) => `http://[::ffff:7f00:1]:${port}/`, true],
    ["decimal 2130706433", (port) => `http://2130706433:${port}/`, false],
    ["octal 0177.0.0.1", (port) => `http://0177.0.0.1:${port}/`, false],
    ["hex 0x7f.1", (port) => `http://0x7f.1:${port}/`, false],
    ["short 127.1", (port) => `http://127.1:${port}/`, false],
    ["unspecified 0.0.0.0", (port) => `http://0.0.0.0:${port}/`, false],
    ["unspecified 0", (port) => `http://0:${port}/`, false],
    ["unspecified [::]", (port) => `http://[::]:${port}/`, true],
  ];

  it.each(targets)("%s", async (_label, url, needsIPv6) => {
    if (needsIPv6 && !hasIPv6) return;
    const victim = await startServer(echo, victimHost);
    const fetch = createGuardedFetch();
    const error = await rejection(fetch(url(victim.port)));
    expect(error).toBeInstanceOf(HttpBlockedError);
    expect(error).toMatchObject({ code: "SSRF_BLOCKED", retryable: false });
    expect(victim.connections()).toBe(0);
  });

  it("names the host and the reason", async () => {
    const victim = await startServer(echo, victimHost);
    const error = await rejection(createGuardedFetch()(`http://127.0.0.1:${victim.port}/`));
    expect((error as Error).message).toBe(
      "Refused to connect to 127.0.0.1 (loopback address). Operators can allow it with WEFT_HTTP_ALLOW_HOSTS.",
    );
  });

  it.each([
    "http://10.0.0.1/",
    "http://10.255.255.255:8080/",
    "http://172.16.0.1/",
    "http://172.31.1.1/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/",
    "http://100.64.0.1/",
    "http://224.0.0.1/",
    "http://255.255.255.255/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[fd00:ec2::254]/",
    "http://[64:ff9b::7f00:1]/",
    "http://[64:ff9b::a00:1]/",
    "http://[::7f00:1]/",
    "http://metadata.google.internal/computeMetadata/v1/",
  ])("%s", async (url) => {
    // Nothing listens there; a blocked request fails at once, a connection attempt would not.
    const lookup = vi.fn(fakeDns({}));
    const error = await rejection(createGuardedFetch({ lookup, timeoutMs: 5_000 })(url));
    expect(error).toBeInstanceOf(HttpBlockedError);
    expect(lookup).not.toHaveBeenCalled();
  });

  it("a hostname that resolves to loopback", async () => {
    const victim = await startServer(echo, victimHost);
    const lookup = vi.fn(fakeDns({ "evil.test": ["127.0.0.1"] }));
    const error = await rejection(createGuardedFetch({ lookup })(`http://evil.test:${victim.port}/`));
    expect(error).toBeInstanceOf(HttpBlockedError);
    // The caller is told the name is not public; the resolved address goes to the server log only.
    expect((error as Error).message).toContain("evil.test (it does not resolve to a public address)");
    expect((error as Error).message).not.toContain("127.0.0.1");
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(victim.connections()).toBe(0);
  });

  it("a hostname with one private address among public ones", async () => {
    const victim = await startServer(echo, victimHost);
    const lookup = fakeDns({ "mixed.test": ["8.8.8.8", "127.0.0.1"] });
    const error = await rejection(createGuardedFetch({ lookup })(`http://mixed.test:${victim.port}/`));
    expect(error).toBeInstanceOf(HttpBlockedError);
    expect(victim.connections()).toBe(0);
  });

  it("the same targets do connect once allowed (the counter works)", async () => {
    const victim = await startServer(echo, victimHost);
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.0/8", "::1", "localhost"] });
    for (const url of [
      `http://127.0.0.1:${victim.port}/`,
      `http://127.1:${victim.port}/`,
      `http://localhost:${victim.port}/`,
      ...(hasIPv6 ? [`http://[::1]:${victim.port}/`, `http://[::ffff:127.0.0.1]:${victim.port}/`] : []),
    ]) {
      const response = await fetch(url, { headers: { connection: "close" } });
      expect(response.status).toBe(200);
      await response.text();
    }
    expect(victim.connections()).toBe(hasIPv6 ? 5 : 3);
  });
});

describe("allowHosts", () => {
  it("lets an allowed loopback server through", async () => {
    const server = await startServer();
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"] });
    const response = await fetch(`http://127.0.0.1:${server.port}/hello`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ method: "GET", url: "/hello" });
    expect(response.url).toBe(`http://127.0.0.1:${server.port}/hello`);
    expect(response.redirected).toBe(false);
  });

  it("connects to the address it checked, keeping the Host header of the name", async () => {
    const server = await startServer();
    const lookup = vi.fn(fakeDns({ "api.test": ["127.0.0.1"] }));
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"], lookup });
    const response = await fetch(`http://api.test:${server.port}/x`);
    expect(response.status).toBe(200);
    expect(server.requests[0]?.headers.host).toBe(`api.test:${server.port}`);
    expect(lookup).toHaveBeenCalledWith("api.test");
  });

  it("checks every new connection again (no DNS-rebinding window)", async () => {
    // First answer allowed, second answer private: the second connection must be refused.
    const victim = await startServer((_req, res) => {
      res.writeHead(200, { connection: "close" });
      res.end("ok");
    }, victimHost);
    const answers = ["127.0.0.1", "127.0.0.2"];
    const lookup = vi.fn<HostLookup>(async () => [{ address: answers.shift() ?? "127.0.0.2", family: 4 }]);
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"], lookup });

    const first = await fetch(`http://rebind.test:${victim.port}/`);
    expect(await first.text()).toBe("ok");
    const error = await rejection(fetch(`http://rebind.test:${victim.port}/`));
    expect(error).toBeInstanceOf(HttpBlockedError);
    expect(lookup).toHaveBeenCalledTimes(2);
    expect(victim.connections()).toBe(1);
  });

  it("sends the configured User-Agent unless the request sets one", async () => {
    const server = await startServer();
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"], userAgent: "weft-test/1" });
    await (await fetch(`http://127.0.0.1:${server.port}/`)).text();
    await (await fetch(`http://127.0.0.1:${server.port}/`, { headers: { "user-agent": "custom" } })).text();
    expect(server.requests.map((request) => request.headers["user-agent"])).toEqual(["weft-test/1", "custom"]);
  });

  it("accepts a Request and is assignable to typeof fetch", async () => {
    const server = await startServer();
    const asFetch: typeof globalThis.fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"] });
    const response = await asFetch(
      new Request(`http://127.0.0.1:${server.port}/req`, { method: "POST", body: "payload" }),
    );
    expect(response.status).toBe(200);
    expect(server.requests[0]).toMatchObject({ method: "POST", url: "/req", body: "payload" });
  });
});

describe("URLs", () => {
  it.each(["ftp://127.0.0.1/", "file:///etc/passwd", "data:text/plain,hi", "not a url", "http://user:pw@127.0.0.1/"])(
    "refuses %s",
    async (url) => {
      const error = await rejection(createGuardedFetch({ allowHosts: ["127.0.0.1"] })(url));
      expect(error).toBeInstanceOf(HttpInvalidUrlError);
      expect(error).toMatchObject({ code: "HTTP_INVALID_URL", retryable: false });
    },
  );

  it("wraps a refused connection as a retryable network error", async () => {
    const server = await startServer();
    const { port } = server;
    await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));
    const error = await rejection(createGuardedFetch({ allowHosts: ["127.0.0.1"] })(`http://127.0.0.1:${port}/`));
    expect(error).toBeInstanceOf(HttpNetworkError);
    expect(error).toMatchObject({ code: "HTTP_NETWORK", retryable: true });
    expect((error as Error).message).toContain("ECONNREFUSED");
  });

  it("wraps a DNS failure as a network error", async () => {
    const fetch = createGuardedFetch({ lookup: fakeDns({}) });
    expect(await rejection(fetch("http://missing.test/"))).toBeInstanceOf(HttpNetworkError);
  });
});

// ---------------------------------------------------------------------------------------------

/** A server whose routes answer with a redirect: `{ "/a": [302, "/b"] }`. */
function redirecting(routes: Record<string, [number, string]>): http.RequestListener {
  return (req, res) => {
    const route = routes[req.url ?? ""];
    if (route) {
      res.writeHead(route[0], { location: route[1] });
      res.end();
      return;
    }
    echo(req, res);
  };
}

describe("redirects", () => {
  it("follows redirects and reports the final URL", async () => {
    const server = await startServer(redirecting({ "/a": [301, "/b"], "/b": [302, "/c"], "/c": [307, "/final"] }));
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"] });
    const response = await fetch(`http://127.0.0.1:${server.port}/a`);
    expect(await response.json()).toEqual({ method: "GET", url: "/final" });
    expect(response.redirected).toBe(true);
    expect(response.url).toBe(`http://127.0.0.1:${server.port}/final`);
  });

  it("checks the redirect target: to 127.0.0.2", async () => {
    const victim = await startServer(echo, victimHost);
    const server = await startServer(redirecting({ "/go": [302, `http://127.0.0.2:${victim.port}/`] }));
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"] });
    const error = await rejection(fetch(`http://127.0.0.1:${server.port}/go`));
    expect(error).toBeInstanceOf(HttpBlockedError);
    expect((error as Error).message).toContain("127.0.0.2 (loopback address)");
    expect(server.requests).toHaveLength(1);
    expect(victim.connections()).toBe(0);
  });

  it.skipIf(!hasIPv6)("checks the redirect target: to http://[::1]/", async () => {
    const victim = await startServer(echo, victimHost);
    const server = await startServer(redirecting({ "/go": [307, `http://[::1]:${victim.port}/`] }));
    const error = await rejection(createGuardedFetch({ allowHosts: ["127.0.0.1"] })(`http://127.0.0.1:${server.port}/go`));
    expect(error).toBeInstanceOf(HttpBlockedError);
    expect(victim.connections()).toBe(0);
  });

  it("checks the redirect target: to a name that resolves privately", async () => {
    const victim = await startServer(echo, victimHost);
    const lookup = fakeDns({ "public.test": ["127.0.0.1"], "internal.test": ["10.0.0.5"] });
    const server = await startServer(redirecting({ "/go": [302, `http://internal.test:${victim.port}/`] }));
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"], lookup });
    const error = await rejection(fetch(`http://public.test:${server.port}/go`));
    expect(error).toBeInstanceOf(HttpBlockedError);
    expect((error as Error).message).toContain("internal.test (it does not resolve to a public address)");
    expect((error as Error).message).not.toContain("10.0.0.5");
    expect(victim.connections()).toBe(0);
  });

  it("refuses a redirect to another scheme", async () => {
    const server = await startServer(redirecting({ "/go": [302, "file:///etc/passwd"] }));
    const error = await rejection(createGuardedFetch({ allowHosts: ["127.0.0.1"] })(`http://127.0.0.1:${server.port}/go`));
    expect(error).toBeInstanceOf(HttpRedirectError);
  });

  it("stops after maxRedirects", async () => {
    const server = await startServer((req, res) => {
      const n = Number(req.url?.slice(1) ?? "0");
      res.writeHead(302, { location: `/${n + 1}` });
      res.end();
    });
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"], maxRedirects: 3 });
    const error = await rejection(fetch(`http://127.0.0.1:${server.port}/0`));
    expect(error).toBeInstanceOf(HttpRedirectError);
    expect(error).toMatchObject({ code: "HTTP_TOO_MANY_REDIRECTS", retryable: false });
    expect(server.requests.map((request) => request.url)).toEqual(["/0", "/1", "/2", "/3"]);
  });

  it("defaults to 5 redirects", async () => {
    const server = await startServer((req, res) => {
      const n = Number(req.url?.slice(1) ?? "0");
      if (n === 5) return echo(req, res);
      res.writeHead(302, { location: `/${n + 1}` });
      res.end();
    });
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"] });
    expect((await fetch(`http://127.0.0.1:${server.port}/0`)).status).toBe(200);
    const server6 = await startServer((req, res) => {
      res.writeHead(302, { location: `/${Number(req.url?.slice(1) ?? "0") + 1}` });
      res.end();
    });
    expect(await rejection(fetch(`http://127.0.0.1:${server6.port}/0`))).toBeInstanceOf(HttpRedirectError);
    expect(server6.requests).toHaveLength(6);
  });

  it("detects a redirect loop", async () => {
    const server = await startServer(redirecting({ "/a": [302, "/b"], "/b": [302, "/a"] }));
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"], maxRedirects: 20 });
    const error = await rejection(fetch(`http://127.0.0.1:${server.port}/a`));
    expect(error).toBeInstanceOf(HttpRedirectError);
    expect((error as Error).message).toMatch(/loop/);
    expect(server.requests).toHaveLength(2);
  });

  it("turns 303 into a GET without body", async () => {
    const server = await startServer(redirecting({ "/submit": [303, "/result"] }));
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"] });
    const response = await fetch(`http://127.0.0.1:${server.port}/submit`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: '{"a":1}',
    });
    expect(await response.json()).toEqual({ method: "GET", url: "/result" });
    const [first, second] = server.requests;
    expect(first).toMatchObject({ method: "PUT", body: '{"a":1}' });
    expect(second).toMatchObject({ method: "GET", body: "" });
    expect(second?.headers["content-type"]).toBeUndefined();
    expect(second?.headers["content-length"]).toBeUndefined();
  });

  it("turns 301/302 after POST into GET, keeps method and body for 307/308", async () => {
    const server = await startServer(
      redirecting({ "/301": [301, "/end"], "/302": [302, "/end"], "/307": [307, "/end"], "/308": [308, "/end"] }),
    );
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"] });
    for (const path of ["/301", "/302", "/307", "/308"]) {
      await (await fetch(`http://127.0.0.1:${server.port}${path}`, { method: "POST", body: "data" })).text();
    }
    const finals = server.requests.filter((request) => request.url === "/end");
    expect(finals.map((request) => [request.method, request.body])).toEqual([
      ["GET", ""],
      ["GET", ""],
      ["POST", "data"],
      ["POST", "data"],
    ]);
  });

  it("keeps only safe headers on a cross-origin redirect (no Authorization, Cookie, X-Api-Key...), all of them same-origin", async () => {
    const other = await startServer();
    const lookup = fakeDns({ "first.test": ["127.0.0.1"], "second.test": ["127.0.0.1"] });
    const server = await startServer(
      redirecting({ "/same": [302, "/landing"], "/cross": [302, `http://second.test:${other.port}/landing`] }),
    );
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"], lookup });
    const headers = { authorization: "Bearer secret", cookie: "session=1", "x-api-key": "sk-secret", "api-key": "az-secret", "x-custom": "c", accept: "application/json" };

    await (await fetch(`http://first.test:${server.port}/same`, { headers })).text();
    const sameOrigin = server.requests.find((request) => request.url === "/landing");
    expect(sameOrigin?.headers).toMatchObject({ authorization: "Bearer secret", cookie: "session=1", "x-api-key": "sk-secret", "x-custom": "c" });

    await (await fetch(`http://first.test:${server.port}/cross`, { headers })).text();
    const crossOrigin = other.requests[0];
    expect(crossOrigin?.url).toBe("/landing");
    expect(crossOrigin?.headers.authorization).toBeUndefined();
    expect(crossOrigin?.headers.cookie).toBeUndefined();
    expect(crossOrigin?.headers["x-api-key"]).toBeUndefined();
    expect(crossOrigin?.headers["api-key"]).toBeUndefined();
    expect(crossOrigin?.headers["x-custom"]).toBeUndefined();
    expect(crossOrigin?.headers.accept).toBe("application/json");
  });

  it('returns the redirect itself with redirect: "manual" and fails with redirect: "error"', async () => {
    const server = await startServer(redirecting({ "/a": [302, "/b"] }));
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"] });
    const manual = await fetch(`http://127.0.0.1:${server.port}/a`, { redirect: "manual" });
    expect(manual.status).toBe(302);
    expect(manual.headers.get("location")).toBe("/b");
    expect(await rejection(fetch(`http://127.0.0.1:${server.port}/a`, { redirect: "error" }))).toBeInstanceOf(
      HttpRedirectError,
    );
  });
});

// ---------------------------------------------------------------------------------------------

const MB = 1024 * 1024;

/** Streams `total` bytes without Content-Length, honouring backpressure; reports what it wrote. */
function streaming(total: number, onClose: (written: number) => void): http.RequestListener {
  return (_req, res) => {
    res.writeHead(200, { "content-type": "application/octet-stream" });
    const chunk = Buffer.alloc(64 * 1024, 120);
    let written = 0;
    res.on("close", () => onClose(written));
    const pump = () => {
      while (written < total && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) {
          res.once("drain", pump);
          return;
        }
      }
      res.end();
    };
    pump();
  };
}

describe("response size", () => {
  it("aborts a 20 MB stream at a 1 MB cap without downloading it all", async () => {
    let reportWritten: (bytes: number) => void = () => {};
    const serverClosed = new Promise<number>((resolve) => (reportWritten = resolve));
    const server = await startServer(streaming(20 * MB, (bytes) => reportWritten(bytes)));
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"], maxResponseBytes: MB });
    const response = await fetch(`http://127.0.0.1:${server.port}/`);
    const error = await rejection(response.arrayBuffer());
    expect(error).toBeInstanceOf(HttpTooLargeError);
    expect(error).toMatchObject({ code: "HTTP_RESPONSE_TOO_LARGE", retryable: false });
    // The client hung up: the server could write little more than the cap plus socket buffers.
    const written = await serverClosed;
    expect(written).toBeLessThan(20 * MB);
  });

  it("fails httpRequest with HttpTooLargeError on a capped stream", async () => {
    const server = await startServer(streaming(20 * MB, () => {}));
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"], maxResponseBytes: MB });
    const error = await rejection(httpRequest(fetch, { url: `http://127.0.0.1:${server.port}/` }));
    expect(error).toBeInstanceOf(HttpTooLargeError);
  });

  it("rejects early on a larger Content-Length", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "content-length": String(5 * MB) });
      res.write(Buffer.alloc(1024));
      // The rest never comes: only the header can make fetch() reject.
    });
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"], maxResponseBytes: MB });
    const error = await rejection(fetch(`http://127.0.0.1:${server.port}/`));
    expect(error).toBeInstanceOf(HttpTooLargeError);
  });

  it("delivers a body of exactly the cap", async () => {
    const server = await startServer((_req, res) => res.end(Buffer.alloc(MB, 97)));
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"], maxResponseBytes: MB });
    const body = await (await fetch(`http://127.0.0.1:${server.port}/`)).arrayBuffer();
    expect(body.byteLength).toBe(MB);
  });
});

describe("time limits and aborts", () => {
  const silent: http.RequestListener = () => {
    // Never answers.
  };

  it("times out a server that never answers", async () => {
    const server = await startServer(silent);
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"], timeoutMs: 300 });
    const started = Date.now();
    const error = await rejection(fetch(`http://127.0.0.1:${server.port}/`));
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(HttpTimeoutError);
    expect(error).toMatchObject({ code: "HTTP_TIMEOUT", retryable: true });
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2_000);
  });

  it("counts reading the body against the time limit", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("partial");
    });
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"], timeoutMs: 300 });
    const response = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(await rejection(response.text())).toBeInstanceOf(HttpTimeoutError);
  });

  it("honours init.signal", async () => {
    const server = await startServer(silent);
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const error = await rejection(fetch(`http://127.0.0.1:${server.port}/`, { signal: controller.signal }));
    expect((error as Error).name).toBe("AbortError");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("does not connect with an already aborted signal", async () => {
    const server = await startServer();
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"] });
    const reason = new Error("stop");
    const error = await rejection(fetch(`http://127.0.0.1:${server.port}/`, { signal: AbortSignal.abort(reason) }));
    expect(error).toBe(reason);
    expect(server.connections()).toBe(0);
  });

  it("counts a resolver that never answers against the time limit", async () => {
    const lookup: HostLookup = () => new Promise(() => {});
    const fetch = createGuardedFetch({ lookup, timeoutMs: 200 });
    expect(await rejection(fetch("http://slow-dns.test/"))).toBeInstanceOf(HttpTimeoutError);
  });

  it("passes malformed requests on as TypeError, as fetch does", async () => {
    const server = await startServer();
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"] });
    const error = await rejection(fetch(`http://127.0.0.1:${server.port}/`, { method: "GET", body: "x" }));
    expect(error).toBeInstanceOf(TypeError);
  });

  it("applies httpRequest's own timeoutMs", async () => {
    const server = await startServer(silent);
    const fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"] });
    const error = await rejection(httpRequest(fetch, { url: `http://127.0.0.1:${server.port}/`, timeoutMs: 200 }));
    expect(error).toBeInstanceOf(HttpTimeoutError);
  });
});

// ---------------------------------------------------------------------------------------------

describe("httpRequest", () => {
  let fetch: GuardedFetch;

  async function jsonServer() {
    fetch = createGuardedFetch({ allowHosts: ["127.0.0.1"] });
    return startServer((req, res) => {
      if (req.url === "/text") {
        res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
        res.end("plain words");
        return;
      }
      if (req.url === "/missing") {
        res.writeHead(404, { "content-type": "application/problem+json" });
        res.end('{"title":"Not Found"}');
        return;
      }
      res.writeHead(201, { "content-type": "application/json; charset=utf-8", "x-request-id": "r1" });
      res.end(JSON.stringify({ ok: true, method: req.method }));
    });
  }

  it("JSON-encodes an object body, sends Idempotency-Key and decodes a JSON response", async () => {
    const server = await jsonServer();
    const response = await httpRequest(fetch, {
      method: "POST",
      url: `http://127.0.0.1:${server.port}/items`,
      headers: { "x-trace": "t1" },
      body: { name: "weft", tags: ["a"] },
      idempotencyKey: "key-123",
    });
    expect(response).toEqual({
      status: 201,
      headers: expect.objectContaining({ "content-type": "application/json; charset=utf-8", "x-request-id": "r1" }),
      body: { ok: true, method: "POST" },
    });
    const received = server.requests[0];
    expect(received?.headers["idempotency-key"]).toBe("key-123");
    expect(received?.headers["content-type"]).toBe("application/json");
    expect(received?.headers["x-trace"]).toBe("t1");
    expect(JSON.parse(received?.body ?? "")).toEqual({ name: "weft", tags: ["a"] });
  });

  it("sends strings as they are and keeps a given content type", async () => {
    const server = await jsonServer();
    await httpRequest(fetch, {
      method: "PUT",
      url: `http://127.0.0.1:${server.port}/raw`,
      headers: { "content-type": "text/csv" },
      body: "a,b\n1,2",
    });
    expect(server.requests[0]).toMatchObject({ method: "PUT", body: "a,b\n1,2" });
    expect(server.requests[0]?.headers["content-type"]).toBe("text/csv");
    expect(server.requests[0]?.headers["idempotency-key"]).toBeUndefined();
  });

  it("decodes text responses as text and returns error statuses without throwing", async () => {
    const server = await jsonServer();
    const text = await httpRequest(fetch, { url: `http://127.0.0.1:${server.port}/text` });
    expect(text).toMatchObject({ status: 200, body: "plain words" });
    const missing = await httpRequest(fetch, { url: `http://127.0.0.1:${server.port}/missing` });
    expect(missing).toMatchObject({ status: 404, body: { title: "Not Found" } });
  });

  it("surfaces the guard's errors", async () => {
    await jsonServer();
    const error = await rejection(httpRequest(fetch, { url: "http://169.254.169.254/latest/meta-data/" }));
    expect(error).toBeInstanceOf(HttpBlockedError);
  });
});
