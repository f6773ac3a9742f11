import type { NotifyBus, Unsubscribe } from "@weft/db";

/**
 * Long-poll wake-ups for the runner protocol: one LISTEN per channel and bus (so per process), shared
 * by every waiting request and dispatched by payload (a workspace id for new work, a job id for a
 * cancel). `arm` resolves once the LISTEN is live, so a caller arms, then reads, then waits: nothing
 * committed after the read is missed.
 */
export type Waiter = { wait(ms: number, signal?: AbortSignal): Promise<boolean>; dispose(): void };

type Hub = { arm(key: string): Promise<Waiter> };

const hubs = new WeakMap<NotifyBus, Map<string, Hub>>();

export function runnerHub(bus: NotifyBus, channel: string): Hub {
  let byChannel = hubs.get(bus);
  if (!byChannel) hubs.set(bus, (byChannel = new Map<string, Hub>()));
  let hub = byChannel.get(channel);
  if (!hub) byChannel.set(channel, (hub = createHub(bus, channel)));
  return hub;
}

function createHub(bus: NotifyBus, channel: string): Hub {
  const listeners = new Map<string, Set<() => void>>();
  let listening: Promise<Unsubscribe> | null = null;
  const dispatch = (payload: string) => {
    for (const fn of [...(listeners.get(payload) ?? [])]) fn();
  };
  return {
    async arm(key) {
      let fired = false;
      let wake: (() => void) | null = null;
      const fn = () => {
        fired = true;
        wake?.();
      };
      let set = listeners.get(key);
      if (!set) listeners.set(key, (set = new Set<() => void>()));
      set.add(fn);
      const dispose = () => {
        const current = listeners.get(key);
        current?.delete(fn);
        if (current?.size === 0) listeners.delete(key);
      };
      try {
        listening ??= bus.listen(channel, dispatch);
        await listening;
      } catch (error) {
        listening = null;
        dispose();
        throw error;
      }
      return {
        dispose,
        wait(ms, signal) {
          if (fired) {
            fired = false;
            return Promise.resolve(true);
          }
          return new Promise<boolean>((resolve) => {
            const done = (value: boolean) => {
              clearTimeout(timer);
              signal?.removeEventListener("abort", onAbort);
              wake = null;
              fired = false;
              resolve(value);
            };
            const onAbort = () => done(false);
            const timer = setTimeout(() => done(false), ms);
            wake = () => done(true);
            if (signal?.aborted) done(false);
            else signal?.addEventListener("abort", onAbort, { once: true });
          });
        },
      };
    },
  };
}
