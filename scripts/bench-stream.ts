/**
 * SSE figures for `npm run bench` (called from scripts/bench.ts on a migrated database):
 * - commit-to-client latency (p50, p99) with 100 concurrent stream subscribers on one execution: each
 *   event carries the time taken just before its commit; each subscriber notes when it parses it;
 * - time to replay 10,000 stored events to a new subscriber (open to `[DONE]`).
 */
import { performance } from "node:perf_hooks";
import { createNotifyBus, type DatabaseHandle } from "@weft/db";
import { createExecutionStore } from "@weft/engine";
import { eventHubFor } from "../packages/api/src/services/executions/event-hub";
import { streamExecution } from "../packages/api/src/services/executions/stream-execution";
import { seedFlow } from "../packages/engine/test/support";

type Print = (name: string, value: number, unit: string) => void;

const SUBSCRIBERS = 100;
const LIVE_EVENTS = 200;
/** A commit every 20 ms on one execution (the engine coalesces AI deltas per 100 ms). */
const COMMIT_EVERY_MS = 20;
const REPLAY_EVENTS = 10_000;
const TIMEOUT_MS = 120_000;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Reads an SSE body to `[DONE]`, calling `onEvent` with each event's parsed data as it arrives. Gives
 * up (cancelling the body) at `deadline`, with one timer per reader rather than one per chunk.
 */
async function consume(body: ReadableStream<Uint8Array>, onEvent: (event: Record<string, unknown>) => void, deadline: number): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void reader.cancel();
  }, Math.max(0, deadline - Date.now()));
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) throw new Error(timedOut ? "SSE bench timed out" : "stream ended before [DONE]");
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split("\n").find((line) => line.startsWith("data: "))?.slice(6);
        if (data === "[DONE]") return;
        if (data) onEvent((JSON.parse(data) as { event: Record<string, unknown> }).event);
      }
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => {});
  }
}

export async function benchStream(label: string, handle: DatabaseHandle, print: Print): Promise<void> {
  const bus = createNotifyBus(handle);
  const deps = { db: handle.db, bus };
  const store = createExecutionStore({ db: handle.db, bus });
  const seed = await seedFlow(handle.db);
  const owner = "bench-stream";
  const open = async () => {
    const execution = await store.create({ workspaceId: seed.workspaceId, flowId: seed.flowId, graph: { nodes: [], edges: [] }, input: {} });
    await store.claim({ owner, leaseMs: 600_000, onlyId: execution.id });
    return execution.id;
  };
  const subscribe = (executionId: string) => streamExecution(deps, { executionId, after: -1, authorize: async () => {} });

  try {
    // (a) commit -> client, 100 subscribers on one execution.
    const live = await open();
    const latencies: number[] = [];
    const deadline = Date.now() + TIMEOUT_MS;
    const bodies = await Promise.all(Array.from({ length: SUBSCRIBERS }, () => subscribe(live)));
    const readers = bodies.map((body) =>
      consume(
        body,
        (event) => {
          if (typeof event.delta === "string") latencies.push(performance.now() - Number(event.delta));
        },
        deadline,
      ),
    );
    for (let i = 0; i < LIVE_EVENTS; i++) {
      await store.commit({ executionId: live, owner, leaseMs: 600_000, events: [{ type: "node_stream", nodeId: "bench", delta: String(performance.now()) }] });
      await sleep(COMMIT_EVERY_MS);
    }
    await store.commit({ executionId: live, owner, leaseMs: 600_000, events: [{ type: "execution_complete", output: null }] });
    await Promise.all(readers);
    if (latencies.length !== SUBSCRIBERS * LIVE_EVENTS) throw new Error(`expected ${SUBSCRIBERS * LIVE_EVENTS} receipts, got ${latencies.length}`);
    latencies.sort((a, b) => a - b);
    print(`${label}.sse_commit_to_client_p50`, percentile(latencies, 50), "ms");
    print(`${label}.sse_commit_to_client_p99`, percentile(latencies, 99), "ms");

    // (b) replay of 10,000 stored events to a new subscriber.
    const stored = await open();
    const batch = 500;
    for (let i = 0; i < REPLAY_EVENTS; i += batch) {
      const n = Math.min(batch, REPLAY_EVENTS - i);
      const last = i + n === REPLAY_EVENTS;
      await store.commit({
        executionId: stored,
        owner,
        leaseMs: 600_000,
        events: Array.from({ length: n }, (_, j) =>
          last && j === n - 1 ? { type: "execution_complete", output: null } : { type: "node_stream", nodeId: "bench", delta: `chunk ${i + j} of the stored log` },
        ),
      });
    }
    const times: number[] = [];
    for (let run = 0; run < 4; run++) {
      let count = 0;
      const start = performance.now();
      await consume(await subscribe(stored), () => count++, Date.now() + TIMEOUT_MS);
      if (count !== REPLAY_EVENTS) throw new Error(`replayed ${count} of ${REPLAY_EVENTS} events`);
      if (run > 0) times.push(performance.now() - start); // the first run warms up plans and the JIT
    }
    times.sort((a, b) => a - b);
    print(`${label}.sse_replay_10000_events`, percentile(times, 50), "ms");
    const leaked = eventHubFor(bus).subscriberCount();
    if (leaked !== 0) throw new Error(`${leaked} stream subscribers left after the bench`);
  } finally {
    await eventHubFor(bus).close();
  }
}
