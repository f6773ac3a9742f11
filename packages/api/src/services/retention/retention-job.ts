import type { Deps } from "../../lib/context";
import { pruneExpired, type PruneOptions, type PruneReport } from "./prune-expired";

export type RetentionJobOptions = PruneOptions & {
  deps: Pick<Deps, "db" | "executions" | "now">;
  /** Time between passes (default 10 minutes); the first pass runs one interval after start. */
  intervalMs?: number;
  /** Each pass that removed something (the process logs it). */
  onReport?: (report: PruneReport) => void;
  onError?: (error: unknown) => void;
};

/**
 * Runs `pruneExpired` every interval, one pass at a time. Any number of processes may run it: two
 * passes deleting the same rows just find fewer to delete.
 */
export function createRetentionJob(options: RetentionJobOptions) {
  const intervalMs = options.intervalMs ?? 10 * 60 * 1000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const pass = async () => {
    try {
      const report = await pruneExpired(options.deps, options);
      if (Object.values(report).some((n) => n > 0)) options.onReport?.(report);
    } catch (error) {
      options.onError?.(error);
    }
  };
  return {
    start() {
      timer ??= setInterval(() => {
        running ??= pass().finally(() => (running = undefined));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
