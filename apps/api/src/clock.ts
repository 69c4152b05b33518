/**
 * Time as the app sees it. Everything that waits or compares times (the typing throttle, presence's
 * grace period, socket expiries in Redis) asks this, so tests can move time instead of sleeping.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): Timer;
  clearTimeout(timer: Timer): void;
}

/** What `setTimeout` handed out; only ever given back to `clearTimeout`. */
export type Timer = { readonly __timer: unique symbol } | NodeJS.Timeout;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};
