import { useSyncExternalStore } from 'react';

const MINUTE_MS = 60_000;
const listeners = new Set<() => void>();
let tick = 0;
let timer: number | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // One interval for every subscriber, running only while something on screen needs it.
  timer ??= window.setInterval(() => {
    tick++;
    for (const notify of listeners) notify();
  }, MINUTE_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      window.clearInterval(timer);
      timer = undefined;
    }
  };
}

/**
 * Re-renders the calling component once a minute, and nothing else: for labels computed from the current
 * time ("10:42", "Mon") that go stale while the page stays open. Call it in the smallest component that
 * shows such a label, so the tick does not re-render its parents.
 */
export function useMinuteTick(): number {
  return useSyncExternalStore(subscribe, () => tick);
}
