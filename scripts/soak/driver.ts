/**
 * The load: runs of the soak's flows started through the public API at a steady rate (open loop: a
 * start is sent every 60000/rate ms whatever happened to the previous ones, at most 50 in flight), and
 * the approver, which approves every paused run it finds through the API once a second.
 * A start that is not answered 202 (the web process killed or Postgres restarting) is counted, not
 * retried; a run it may still have created is checked like any other (checks read the database).
 */
import { randomBytes } from "node:crypto";
import type { SoakApi } from "./api";
import { pickFlow, type FlowKind } from "./flows";

export type StartedFlow = { kind: FlowKind; flowId: string; input: (tag: string) => Record<string, unknown>; weight: number };
export type Start = { tag: string; kind: FlowKind; at: number; ok: boolean; error?: string };

const MAX_IN_FLIGHT = 50;

export function startLoad(api: SoakApi, flows: StartedFlow[], ratePerMinute: number, log: (line: string) => void) {
  const starts: Start[] = [];
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let skipped = 0;
  const interval = 60_000 / ratePerMinute;
  const t0 = Date.now();
  let lastError = "";

  const loop = (async () => {
    for (let i = 0; !stopped; i++) {
      if (inFlight.size >= MAX_IN_FLIGHT) {
        skipped++;
      } else {
        const flow = pickFlow(flows, Math.random());
        const tag = randomBytes(8).toString("hex");
        const start: Start = { tag, kind: flow.kind, at: Date.now(), ok: false };
        starts.push(start);
        const sent = api.execute(flow.flowId, flow.input(tag)).then(
          () => {
            start.ok = true;
          },
          (error: unknown) => {
            start.error = error instanceof Error ? error.message : String(error);
            const summary = start.error.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "<id>").slice(0, 100);
            if (summary !== lastError) log(`load: a start failed: ${summary}`);
            lastError = summary;
          },
        );
        const tracked = sent.finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
      }
      const next = t0 + (i + 1) * interval;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
    }
  })();

  return {
    starts,
    skipped: () => skipped,
    stop: async () => {
      stopped = true;
      await loop;
      await Promise.allSettled([...inFlight]);
    },
  };
}

export function startApprover(api: SoakApi) {
  let stopped = false;
  let approvals = 0;
  const decided = new Set<string>();
  const loop = (async () => {
    while (!stopped) {
      try {
        const paused = await api.pausedExecutions();
        await Promise.all(
          paused
            .filter((id) => !decided.has(id))
            .map((id) =>
              api.approve(id).then(
                () => {
                  decided.add(id);
                  approvals++;
                },
                () => undefined, // not waiting for a decision yet, or the web process is down: next round
              ),
            ),
        );
      } catch {
        // the web process or the database is down: next round
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  return {
    approvals: () => approvals,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}
