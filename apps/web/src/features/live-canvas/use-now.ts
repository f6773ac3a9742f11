"use client";

import { useSyncExternalStore } from "react";

const TICK_MS = 250;

// One shared clock for every ticking display on the page: it runs while something subscribes.
const clock = { now: 0, listeners: new Set<() => void>(), timer: undefined as ReturnType<typeof setInterval> | undefined };

function subscribe(listener: () => void) {
  clock.listeners.add(listener);
  if (!clock.timer) {
    clock.now = Date.now();
    clock.timer = setInterval(() => {
      clock.now = Date.now();
      for (const l of clock.listeners) l();
    }, TICK_MS);
  }
  return () => {
    clock.listeners.delete(listener);
    if (clock.listeners.size === 0 && clock.timer) {
      clearInterval(clock.timer);
      clock.timer = undefined;
    }
  };
}
const idle = () => () => {};
const read = () => (clock.now === 0 ? null : clock.now);
const onServer = () => null;

/**
 * The current time, ticking while `active` (frozen at the last tick otherwise). Null on the server
 * and before the first tick, so server and client render the same and the caller shows a placeholder.
 */
export function useNow(active: boolean): number | null {
  return useSyncExternalStore(active ? subscribe : idle, read, onServer);
}
