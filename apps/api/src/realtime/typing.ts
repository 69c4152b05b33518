import type { Clock } from '../clock.ts';

/** At most `burst` typing events per socket in any `windowMs`: a flood is dropped, not relayed. */
export function createTypingThrottle(clock: Pick<Clock, 'now'>, burst = 3, windowMs = 1_000) {
  const recent = new Map<string, number[]>();
  return {
    allow(socketId: string): boolean {
      const now = clock.now();
      const times = (recent.get(socketId) ?? []).filter((t) => now - t < windowMs);
      if (times.length >= burst) return false;
      times.push(now);
      recent.set(socketId, times);
      return true;
    },
    forget(socketId: string) {
      recent.delete(socketId);
    },
  };
}
