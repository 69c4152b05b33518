/**
 * Runs at most `concurrency` tasks at once and holds at most `capacity` waiting; `add` answers false
 * when full (the caller drops the work: a push is a hint, a send must never wait for it).
 */
export function createWorkQueue(concurrency: number, capacity: number) {
  const waiting: (() => Promise<void>)[] = [];
  let running = 0;
  const idleWaiters: (() => void)[] = [];

  function pump() {
    while (running < concurrency && waiting.length > 0) {
      const task = waiting.shift()!;
      running += 1;
      task()
        .catch(() => {}) // each task reports its own failures
        .finally(() => {
          running -= 1;
          pump();
        });
    }
    if (running === 0 && waiting.length === 0) {
      for (const resolve of idleWaiters.splice(0)) resolve();
    }
  }

  return {
    add(task: () => Promise<void>): boolean {
      if (waiting.length >= capacity) return false;
      waiting.push(task);
      queueMicrotask(pump);
      return true;
    },
    /** Resolves when nothing runs or waits. */
    idle(): Promise<void> {
      if (running === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    /** Drops what waits; what runs finishes. */
    clear() {
      waiting.length = 0;
      if (running === 0) for (const resolve of idleWaiters.splice(0)) resolve();
    },
  };
}
