import type { Deps } from "../../lib/context";

/** Runner protocol timings (Deps.runners); tests make them short. */
export type RunnerSettings = {
  /** A claimed job whose runner has not heartbeated for this long is claimable again (re-queued). */
  leaseMs: number;
  /** While no job is announced, a long-polling claim still looks again this often (expired leases). */
  pollMs: number;
};

export const DEFAULT_RUNNER_SETTINGS: RunnerSettings = { leaseMs: 30_000, pollMs: 5_000 };

export const runnerSettings = (deps: Deps): RunnerSettings => ({ ...DEFAULT_RUNNER_SETTINGS, ...deps.runners });

/** Online: heard from within one lease period. */
export const isOnline = (lastSeenAt: Date | null, now: Date, leaseMs: number) => lastSeenAt !== null && now.getTime() - lastSeenAt.getTime() <= leaseMs;

export const RUNNER_CREDENTIAL_PREFIX = "weftr_";
export const REGISTRATION_TOKEN_PREFIX = "weftrt_";
