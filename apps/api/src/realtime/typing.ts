import type { Clock } from '../clock.ts';

/**
 * At most `burst` typing events per key in any `windowMs`: a flood is dropped, not relayed. The
 * handler keys it by user and conversation (API.md), so opening more sockets buys no more relays.
 */
export function createTypingThrottle(clock: Pick<Clock, 'now'>, burst = 3, windowMs = 1_000) {
  const recent = new Map<string, number[]>();
  let lastPrune = clock.now();
  // Keys of people who stopped typing go, so the map stays as small as the set of active typists.
  const prune = (now: number) => {
    if (now - lastPrune < windowMs * 10) return;
    lastPrune = now;
    for (const [key, times] of recent) if (now - times[times.length - 1]! >= windowMs) recent.delete(key);
  };
  return {
    allow(key: string): boolean {
      const now = clock.now();
      prune(now);
      const times = (recent.get(key) ?? []).filter((t) => now - t < windowMs);
      if (times.length >= burst) return false;
      times.push(now);
      recent.set(key, times);
      return true;
    },
    forget(key: string) {
      recent.delete(key);
    },
  };
}
