import { describe, expect, it } from 'vitest';
import { createHashGate } from '../../src/auth/hash-gate.ts';
import { AppError } from '../../src/http/app-error.ts';

function deferred() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { done, release };
}

describe('hash gate', () => {
  it('runs at most `running` at once, queues `queued`, and refuses the rest at once with 503', async () => {
    const gate = createHashGate({ running: 2, queued: 3, maxWaitMs: 5_000 });
    const work = Array.from({ length: 7 }, deferred);
    let peak = 0;
    let active = 0;
    const results = work.map((w) =>
      gate
        .run(async () => {
          active += 1;
          peak = Math.max(peak, active);
          await w.done;
          active -= 1;
          return 'done';
        })
        .catch((err: AppError) => `${err.status} ${err.retryAfter}`),
    );
    expect(() => gate.assertRoom()).toThrow(AppError);
    expect(await results[5]).toBe('503 1');
    expect(await results[6]).toBe('503 1');
    expect(gate.load).toMatchObject({ running: 2, waiting: 3 });
    for (const w of work) w.release();
    expect(await Promise.all(results.slice(0, 5))).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(peak).toBe(2);
    expect(gate.load.started).toBe(5);
    expect(gate.load.shed).toBe(3);
    expect(() => gate.assertRoom()).not.toThrow();
    expect(gate.load).toMatchObject({ running: 0, waiting: 0 });
  });

  it('gives up on a waiter that has not started in time, and frees its place', async () => {
    const gate = createHashGate({ running: 1, queued: 1, maxWaitMs: 50 });
    const blocker = deferred();
    const first = gate.run(() => blocker.done);
    const late = gate.run(async () => 'never');
    await expect(late).rejects.toBeInstanceOf(AppError);
    expect(gate.load).toMatchObject({ running: 1, waiting: 0 });
    blocker.release();
    await first;
    expect(await gate.run(async () => 'runs')).toBe('runs');
  });
});
