import { AppError } from '../http/app-error.ts';

export interface HashGateOptions {
  /** Hashes allowed to run at once (each holds a libuv thread and ~19 MiB). */
  running: number;
  /** Hashes allowed to wait; one more is refused at once. */
  queued: number;
  /** A waiter still not started after this long gives up (503): an answer now beats one too late. */
  maxWaitMs: number;
}

export const HASH_GATE_DEFAULTS: HashGateOptions = { running: 2, queued: 16, maxWaitMs: 500 };

/** Seconds a refused client is told to wait (API.md: 503 with Retry-After). */
const RETRY_AFTER_SECONDS = 1;

function refusal(): AppError {
  return new AppError(
    'unavailable',
    'Too many sign-ins at once. Try again in a moment.',
    undefined,
    RETRY_AFTER_SECONDS,
  );
}

/**
 * A small cap on password hashes per process (API.md, "Abuse and identity"). Argon2 is deliberately
 * expensive, so a flood of sign-ins or registrations would otherwise take every core and thread and
 * starve the rest of the API; past a short queue the flood is refused with 503, fast.
 */
export function createHashGate(options: HashGateOptions = HASH_GATE_DEFAULTS) {
  let running = 0;
  let started = 0;
  let shed = 0;
  const waiting: { start: () => void; timer: NodeJS.Timeout }[] = [];

  const next = () => {
    running -= 1;
    const waiter = waiting.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      running += 1;
      started += 1;
      waiter.start();
    }
  };

  const full = () => running >= options.running && waiting.length >= options.queued;

  return {
    /**
     * Refuses now (503) when a hash asked for now would be refused anyway: callers check before the
     * database work that leads to the hash, so a flood is shed at the door, not after a query each.
     */
    assertRoom(): void {
      if (!full()) return;
      shed += 1;
      throw refusal();
    },
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (running >= options.running) {
        if (full()) {
          shed += 1;
          throw refusal();
        }
        await new Promise<void>((resolve, reject) => {
          const waiter = {
            start: resolve,
            timer: setTimeout(() => {
              waiting.splice(waiting.indexOf(waiter), 1);
              shed += 1;
              reject(refusal());
            }, options.maxWaitMs),
          };
          waiting.push(waiter);
        });
      } else {
        running += 1;
        started += 1;
      }
      try {
        return await work();
      } finally {
        next();
      }
    },
    /** For metrics and tests. */
    get load() {
      return { running, waiting: waiting.length, started, shed };
    },
  };
}

export type HashGate = ReturnType<typeof createHashGate>;
