/**
 * Smart batching (ADRs 045, 046): at most one `write` runs at a time; what arrives while it runs
 * waits, and `take` picks the next batch from the waiting items once it is done. A lone item is
 * written at once, so batching costs no latency when idle. `write` answers its items itself and must
 * not throw: nothing here could tell their callers.
 */
export function oneInFlight<T>(take: (waiting: T[]) => T[], write: (batch: T[]) => Promise<void>): (item: T) => void {
  const waiting: T[] = [];
  let writing = false;

  async function drain(): Promise<void> {
    writing = true;
    try {
      while (waiting.length > 0) await write(take(waiting));
    } finally {
      writing = false;
    }
  }

  return (item) => {
    waiting.push(item);
    if (!writing) void drain();
  };
}
