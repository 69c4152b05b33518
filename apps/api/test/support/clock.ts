import type { Clock, Timer } from '../../src/clock.ts';

/**
 * A clock that moves only when told to: `advance` runs every timer that falls due, in order, so a
 * test covers a grace period or a throttle window without waiting for it.
 */
export function manualClock(start = Date.now()) {
  let now = start;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: Clock & { advance(ms: number): void; pending(): number } = {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++nextId;
      timers.set(id, { at: now + ms, fn });
      return id as unknown as Timer;
    },
    clearTimeout(timer) {
      timers.delete(timer as unknown as number);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
      }
      now = until;
    },
    /** Timers set and not yet run or cleared. */
    pending: () => timers.size,
  };
  return clock;
}
export type ManualClock = ReturnType<typeof manualClock>;
