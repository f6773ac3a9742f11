import type { NotifyBus, Unsubscribe } from "@weft/db";
import { EVENTS_CHANNEL } from "@weft/engine";

/**
 * Called with the last committed event index of the execution (the NOTIFY payload's `<last index>`)
 * and the moment the notification was received (see `nextMoment`; the same for every listener).
 */
export type CommitListener = (lastIndex: number, receivedAt: number) => void;

let moments = 0;
/** A counter that orders things happening in this process (notifications received, reads issued). */
export function nextMoment(): number {
  return ++moments;
}

/**
 * One `LISTEN weft_execution_events` per bus (so per process: postgres.js holds a connection for it),
 * shared by every stream reader and dispatched by execution id. The
 * LISTEN is taken with the first subscriber and kept for the life of the bus.
 */
export type EventHub = {
  /** Resolves once notifications are being received: anything committed after that wakes `listener`. */
  subscribe(executionId: string, listener: CommitListener): Promise<() => void>;
  /** Live subscribers, of one execution or in all. */
  subscriberCount(executionId?: string): number;
  /** Stops listening (tests and shutdown); later subscribers listen again. */
  close(): Promise<void>;
};

const hubs = new WeakMap<NotifyBus, EventHub>();

/** The hub of this bus (created on first use). */
export function eventHubFor(bus: NotifyBus): EventHub {
  let hub = hubs.get(bus);
  if (!hub) {
    hub = createEventHub(bus);
    hubs.set(bus, hub);
  }
  return hub;
}

export function createEventHub(bus: NotifyBus): EventHub {
  const byExecution = new Map<string, Set<CommitListener>>();
  let listening: Promise<Unsubscribe> | null = null;

  function dispatch(payload: string) {
    const colon = payload.lastIndexOf(":");
    if (colon <= 0) return;
    const listeners = byExecution.get(payload.slice(0, colon));
    if (!listeners) return;
    const lastIndex = Number(payload.slice(colon + 1));
    if (!Number.isInteger(lastIndex)) return;
    const receivedAt = nextMoment();
    for (const listener of [...listeners]) {
      try {
        listener(lastIndex, receivedAt);
      } catch (error) {
        console.error("[event-hub] listener failed", error);
      }
    }
  }

  function remove(executionId: string, listener: CommitListener) {
    const listeners = byExecution.get(executionId);
    if (!listeners) return;
    listeners.delete(listener);
    if (listeners.size === 0) byExecution.delete(executionId);
  }

  return {
    async subscribe(executionId, listener) {
      // Registered before LISTEN is confirmed: a notification delivered in between is not lost.
      const wrapped: CommitListener = (lastIndex, receivedAt) => listener(lastIndex, receivedAt);
      let listeners = byExecution.get(executionId);
      if (!listeners) byExecution.set(executionId, (listeners = new Set()));
      listeners.add(wrapped);
      const current = (listening ??= bus.listen(EVENTS_CHANNEL, dispatch));
      try {
        await current;
      } catch (error) {
        if (listening === current) listening = null;
        remove(executionId, wrapped);
        throw error;
      }
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        remove(executionId, wrapped);
      };
    },
    subscriberCount(executionId) {
      if (executionId !== undefined) return byExecution.get(executionId)?.size ?? 0;
      let total = 0;
      for (const listeners of byExecution.values()) total += listeners.size;
      return total;
    },
    async close() {
      const current = listening;
      listening = null;
      if (current) await (await current.catch(() => null))?.();
    },
  };
}
