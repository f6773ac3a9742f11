/**
 * The chaos: every 10-60 s (uniform) a kill -9 of a random engine process that is up, started again at
 * once; and Postgres restarted at given times (fast shutdown, then immediate). Kills wait while
 * Postgres restarts. Each disruption records how long the process took to serve again and the
 * recovery time of the runs (recovery.ts).
 */
import type { Sql } from "postgres";
import type { SoakPostgres } from "./postgres";
import type { EngineProcess } from "./processes";
import { measureRecovery, snapshot, type Recovery } from "./recovery";

export type Kill = { process: string; kind: string; at: number; restartMs: number | null; recovery: Recovery | null };
export type PgRestart = { mode: "fast" | "immediate"; at: number; downMs: number; recovery: Recovery | null };

export type ChaosOptions = {
  sql: Sql;
  workspaceId: string;
  processes: EngineProcess[];
  postgres: SoakPostgres;
  /** ms after the start of the chaos at which Postgres restarts. */
  pgRestartsAt: number[];
  minGapMs: number;
  maxGapMs: number;
  recoveryTimeoutMs: number;
  log: (line: string) => void;
};

export function startChaos(options: ChaosOptions) {
  const kills: Kill[] = [];
  const restarts: PgRestart[] = [];
  const pending: Array<Promise<unknown>> = [];
  const t0 = Date.now();
  let stopped = false;
  const pgRestart: { running: Promise<void> | null } = { running: null };
  let wake: () => void = () => {};
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function killOne(): Promise<void> {
    const up = options.processes.filter((p) => p.isReady());
    if (up.length === 0) return;
    const victim = up[Math.floor(Math.random() * up.length)]!;
    const before = await snapshot(options.sql, options.workspaceId).catch(() => null);
    const at = Date.now();
    await victim.kill();
    options.log(`chaos: kill -9 ${victim.name} (${before?.runs.size ?? "?"} runs active)`);
    const kill: Kill = { process: victim.name, kind: victim.kind, at, restartMs: null, recovery: null };
    kills.push(kill);
    const restarted = victim.start().then(
      () => {
        kill.restartMs = Date.now() - at;
      },
      (error: unknown) => options.log(`chaos: ${victim.name} did not start again: ${String(error)}`),
    );
    const recovered = before
      ? measureRecovery(options.sql, `kill ${victim.name}`, before, at, options.recoveryTimeoutMs).then((r) => {
          kill.recovery = r;
          options.log(`chaos: after kill -9 ${victim.name}: serving again in ${kill.restartMs ?? "?"} ms, runs recovered in ${r.ms ?? "NOT RECOVERED"} ms`);
        })
      : Promise.resolve();
    pending.push(restarted, recovered);
  }

  async function restartPostgres(mode: "fast" | "immediate"): Promise<void> {
    const before = await snapshot(options.sql, options.workspaceId).catch(() => null);
    const at = Date.now();
    const downMs = 3_000;
    const restart: PgRestart = { mode, at, downMs, recovery: null };
    restarts.push(restart);
    options.log(`chaos: Postgres restart (${mode}, down ${downMs} ms, ${before?.runs.size ?? "?"} runs active)`);
    await options.postgres.restart(mode, downMs);
    options.log(`chaos: Postgres is back after ${Date.now() - at} ms`);
    if (before) {
      pending.push(
        measureRecovery(options.sql, `postgres ${mode}`, before, at, options.recoveryTimeoutMs).then((r) => {
          restart.recovery = r;
          options.log(`chaos: after the Postgres restart (${mode}): runs recovered in ${r.ms ?? "NOT RECOVERED"} ms`);
        }),
      );
    }
  }

  const pgTimers = options.pgRestartsAt.map((afterMs, i) =>
    setTimeout(() => {
      if (stopped) return;
      const mode = i % 2 === 0 ? "fast" : "immediate";
      const running = restartPostgres(mode)
        .catch((error: unknown) => options.log(`chaos: Postgres restart failed: ${String(error)}`))
        .finally(() => (pgRestart.running = null));
      pgRestart.running = running;
      pending.push(running);
    }, afterMs),
  );

  const loop = (async () => {
    while (!stopped) {
      await sleep(options.minGapMs + Math.random() * (options.maxGapMs - options.minGapMs));
      if (stopped) break;
      while (pgRestart.running) await pgRestart.running;
      await killOne().catch((error: unknown) => options.log(`chaos: kill failed: ${String(error)}`));
    }
  })();

  return {
    kills,
    restarts,
    elapsedMs: () => Date.now() - t0,
    /** No more disruptions; resolves once every process is back and every measurement has ended. */
    stop: async () => {
      stopped = true;
      for (const timer of pgTimers) clearTimeout(timer);
      wake();
      await loop;
      while (pending.length > 0) await Promise.allSettled(pending.splice(0));
    },
  };
}
