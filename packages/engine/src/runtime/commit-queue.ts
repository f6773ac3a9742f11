import { LeaseLostError, TransitionRefusedError } from "../store/errors";
import type { BlockUpsert, CommitInput } from "../store/execution-store";
import { BlockError } from "./block";

/** A commit of the runner: the store's commit without the execution id, owner and lease. */
export type CommitRequest = Omit<CommitInput, "executionId" | "owner">;
export type CommitRange = { firstIndex: number; lastIndex: number };

/** The database refused or failed a write: an engine failure, never shown to users as a block error. */
export class StoreFailure extends Error {
  constructor(readonly error: unknown) {
    super("store write failed", { cause: error });
  }
}

/** At most this many events gathered into one group commit. */
const MAX_GROUP_EVENTS = 64;
/** A group commit waits at most this many `groupCommitMs` windows after its oldest completion. */
const MAX_GROUP_WINDOWS = 5;

export type CommitQueueOptions = {
  /** Writes one (merged) commit: the store's commit with the run's id, owner and lease. */
  write: (request: CommitRequest) => Promise<CommitRange>;
  groupCommitMs: number;
  maxEvents: number;
  /** The index of the last event already stored (next_event_index - 1). */
  lastEventIndex: number;
  /** True once the run is stopping: nothing waits to gather more. */
  stopping: () => boolean;
};

type Item = {
  input: CommitRequest;
  resolve: (r: CommitRange) => void;
  reject: (e: unknown) => void;
  /** Nobody waits for it: a quick block's completion while the next nodes already run. */
  pipelined: boolean;
  at: number;
};

/**
 * The commits of one execution, in order, one store call at a time (group commit): node-event commits
 * that queue up while a call is in flight are merged into the next call, each caller getting its own
 * event range; a status change right behind node commits joins their call. Enforces the event cap.
 * After a pipelined commit failed (`failure`) only the run's ending on it is written.
 */
export class CommitQueue {
  private readonly queue: Item[] = [];
  private draining = false;
  /** Quick blocks executing now (their completions may join the commit being gathered). */
  private quickRunning = 0;
  private wakeGather: (() => void) | null = null;
  private lastEventIndex: number;
  /** The error of a failed pipelined commit (the run must end on it). */
  failure: unknown = null;

  constructor(private readonly options: CommitQueueOptions) {
    this.lastEventIndex = options.lastEventIndex;
  }

  /** Queues a commit; `pipelined` when nobody awaits it before going on (a quick block's completion). */
  push(input: CommitRequest, pipelined = false): Promise<CommitRange> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject, pipelined, at: performance.now() });
      this.wakeGather?.();
      if (!this.draining) {
        // Start writing on the next turn of the event loop: the node that this commit unblocks gets
        // to hand its work to the sandbox first, so the two overlap.
        this.draining = true;
        void new Promise<void>((r) => setImmediate(r)).then(() => this.drain());
      }
    });
  }

  quickStarted() {
    this.quickRunning++;
  }

  quickDone() {
    this.quickRunning--;
    this.wakeGather?.();
  }

  /**
   * Group commit: while everything queued is pipelined quick-block completions and quick blocks are
   * still running, wait (up to `groupCommitMs` after the newest was queued, MAX_GROUP_WINDOWS windows
   * after the oldest, MAX_GROUP_EVENTS events) for them to join. A linear chain of function blocks
   * then costs one store call per few nodes instead of one per node. What waits here is not durable
   * yet, exactly like an in-flight pipelined commit: after a crash those nodes simply run again.
   */
  private async gather(): Promise<void> {
    const windowMs = this.options.groupCommitMs;
    if (windowMs <= 0) return;
    for (;;) {
      const oldest = this.queue[0];
      if (!oldest || this.quickRunning === 0 || this.options.stopping()) return;
      let events = 0;
      for (const item of this.queue) {
        if (!item.pipelined) return;
        events += item.input.events?.length ?? 0;
      }
      // A sliding window: up to `groupCommitMs` after the newest completion (quick blocks keep
      // joining while they keep finishing), and never longer than MAX_GROUP_WINDOWS windows after
      // the oldest (what live streams see lags by at most that).
      const newest = this.queue.at(-1)!;
      const left = Math.min(oldest.at + MAX_GROUP_WINDOWS * windowMs, newest.at + windowMs) - performance.now();
      if (events >= MAX_GROUP_EVENTS || left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.wakeGather = null;
          resolve();
        }, left);
        this.wakeGather = () => {
          clearTimeout(timer);
          this.wakeGather = null;
          // Let the nodes this completion unblocks start (and be counted) before looking again.
          setImmediate(resolve);
        };
      });
    }
  }

  private async drain(): Promise<void> {
    this.draining = true;
    const { maxEvents } = this.options;
    try {
      while (this.queue.length > 0) {
        await this.gather();
        const batch = [this.queue.shift()!];
        let nodeEvents = batch[0]!.input.to ? 0 : (batch[0]!.input.events?.length ?? 0);
        if (isNodeCommit(batch[0]!.input)) {
          while (this.queue.length > 0 && isNodeCommit(this.queue[0]!.input)) {
            nodeEvents += this.queue[0]!.input.events?.length ?? 0;
            batch.push(this.queue.shift()!);
          }
          // A status change right behind node commits joins them (one statement for the tail of a
          // run and its end), unless those node events hit the cap: then they go alone and fail.
          const next = this.queue[0];
          if (next?.input.to && this.lastEventIndex + nodeEvents < maxEvents) batch.push(this.queue.shift()!);
        }
        try {
          // After a pipelined commit failed no node commit and no completion may land: only the run's
          // ending on that failure (fail, cancel, pause) is written.
          const ending = batch.length === 1 && batch[0]!.input.to !== undefined && batch[0]!.input.to !== "completed";
          if (this.failure && !ending) throw this.failure as Error;
          if (this.lastEventIndex + nodeEvents >= maxEvents && !batch[0]!.input.to) {
            throw new BlockError("EVENT_LIMIT", `The execution reached its limit of ${maxEvents} events`);
          }
          const input = batch.length === 1 ? batch[0]!.input : mergeCommits(batch.map((item) => item.input));
          let result: CommitRange;
          try {
            result = await this.options.write(input);
          } catch (error) {
            if (error instanceof LeaseLostError || error instanceof TransitionRefusedError) throw error;
            throw new StoreFailure(error);
          }
          this.lastEventIndex = result.lastIndex;
          let next = result.firstIndex;
          for (const item of batch) {
            const n = item.input.events?.length ?? 0;
            item.resolve({ firstIndex: next, lastIndex: next + n - 1 });
            next += n;
          }
        } catch (error) {
          if (batch.some((item) => item.pipelined) && !(error instanceof LeaseLostError)) this.failure ??= error;
          for (const item of batch) item.reject(error);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}

/** Node events only (no status change): these can share one store call. */
const isNodeCommit = (input: CommitRequest) => !input.to && !input.from && !input.set && !input.release;

/**
 * One call for several commits (node commits, the last possibly a status change): events in order;
 * rows of the same node merged, later fields winning; the status change's fields from the last.
 */
export function mergeCommits(inputs: CommitRequest[]): CommitRequest {
  const blocks = new Map<string, BlockUpsert>();
  for (const input of inputs) {
    for (const block of input.blocks ?? []) {
      const key = `${block.nodeId}\u0000${block.iteration}`;
      const previous = blocks.get(key);
      const defined = Object.fromEntries(Object.entries(block).filter(([, v]) => v !== undefined)) as BlockUpsert;
      blocks.set(key, previous ? { ...previous, ...defined } : block);
    }
  }
  const { events: _events, blocks: _blocks, ...status } = inputs.at(-1)!;
  return { ...status, events: inputs.flatMap((i) => i.events ?? []), blocks: [...blocks.values()] };
}
