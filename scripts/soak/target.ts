/**
 * The local HTTP server the flows call (127.0.0.1, a free port). It records every call on arrival:
 * the run tag, node id and loop index from the URL, and the Idempotency-Key header.
 * - `/slow`: answers after 300-1500 ms (a slow API: a kill often lands mid-call);
 * - `/quick`: answers after 20-200 ms (loop bodies);
 * - `/flaky`: answers 503 to the first 2 calls of each idempotency key, then 200 (a retrying node).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type HttpCall = { tag: string; node: string; iteration: string; key: string; path: string; at: number; status: number };

export const FLAKY_FAILURES = 2;

export type Target = { base: string; calls: HttpCall[]; close: () => Promise<void> };

export async function startTarget(): Promise<Target> {
  const calls: HttpCall[] = [];
  const seenKeys = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const key = String(req.headers["idempotency-key"] ?? "");
    const path = url.pathname.slice(1);
    const call: HttpCall = {
      tag: url.searchParams.get("tag") ?? "",
      node: url.searchParams.get("node") ?? "",
      iteration: url.searchParams.get("i") ?? "",
      key,
      path,
      at: Date.now(),
      status: 200,
    };
    if (path === "flaky") {
      const seen = (seenKeys.get(key) ?? 0) + 1;
      seenKeys.set(key, seen);
      if (seen <= FLAKY_FAILURES) call.status = 503;
    } else if (path !== "slow" && path !== "quick") {
      call.status = 404;
    }
    calls.push(call);
    req.resume();
    const delay = path === "slow" ? 300 + Math.random() * 1_200 : path === "quick" ? 20 + Math.random() * 180 : 0;
    setTimeout(() => {
      res.writeHead(call.status, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: call.status === 200, tag: call.tag, node: call.node }));
    }, delay);
  });
  // Engines killed mid-call leave sockets behind: never let them hold the server open.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
