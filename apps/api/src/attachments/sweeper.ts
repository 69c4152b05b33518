import type { Logger } from 'pino';
import type { Clock, Timer } from '../clock.ts';

/** How often the sweep runs; an upload lives 24 h, so a few minutes late changes nothing. */
export const SWEEP_EVERY_MS = 10 * 60 * 1000;

/**
 * Runs `sweep` every `everyMs` on the app's clock (tests move it by hand). Replicas sweep too:
 * each delete answers only the rows it removed, so two sweeps never erase the same bytes twice.
 */
export function startSweeper({
  clock,
  logger,
  sweep,
  everyMs = SWEEP_EVERY_MS,
}: {
  clock: Clock;
  logger: Logger;
  sweep: (now: number) => Promise<void>;
  everyMs?: number;
}) {
  let timer: Timer | undefined;
  let stopped = false;
  let last: Promise<void> = Promise.resolve();
  const tick = () => {
    last = sweep(clock.now())
      .catch((err) => logger.error({ err }, 'sweep failed'))
      .finally(() => {
        if (!stopped) timer = clock.setTimeout(tick, everyMs);
      });
  };
  timer = clock.setTimeout(tick, everyMs);
  return {
    /** The sweep that ran last (or runs now), settled: the barrier tests wait on. */
    settled: () => last,
    stop() {
      stopped = true;
      if (timer) clock.clearTimeout(timer);
    },
  };
}
