import { describe, expect, it } from 'vitest';
import { createWorkQueue } from '../src/push/work-queue.ts';

/** A task that runs until released, recording how many run at once. */
function gate() {
  const releases: (() => void)[] = [];
  let running = 0;
  let most = 0;
  const task = () =>
    new Promise<void>((resolve) => {
      running += 1;
      most = Math.max(most, running);
      releases.push(() => {
        running -= 1;
        resolve();
      });
    });
  return {
    task,
    releaseAll: () => {
      for (const release of releases.splice(0)) release();
    },
    get started() {
      return releases.length;
    },
    get most() {
      return most;
    },
  };
}

describe('the push work queue', () => {
  it('runs at most its concurrency at once, the rest in turn', async () => {
    const queue = createWorkQueue(3, 100);
    const g = gate();
    for (let i = 0; i < 10; i += 1) expect(queue.add(g.task)).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(g.started).toBe(3);
    const idle = queue.idle();
    while (g.started > 0) {
      g.releaseAll();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await idle;
    expect(g.most).toBe(3);
  });

  it('refuses work past its capacity instead of queueing without end, and a failing task stops nothing', async () => {
    const queue = createWorkQueue(1, 2);
    const g = gate();
    expect(queue.add(g.task)).toBe(true);
    await new Promise((resolve) => setImmediate(resolve)); // the first one runs, two may wait
    expect(queue.add(() => Promise.reject(new Error('push service down')))).toBe(true);
    expect(queue.add(g.task)).toBe(true);
    expect(queue.add(g.task)).toBe(false);
    const idle = queue.idle();
    while (g.started > 0) {
      g.releaseAll();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await idle;
  });
});
