import { describe, expect, it } from 'vitest';
import { buildTimeFormatsSoon, formatDay, formatTime } from '../src/lib/format-time.ts';
import { warmIntlOffThread } from '../src/lib/warm-intl.ts';

// ADR 058: where no worker can start (here, Node has no `Worker`), times are still formatted: the warm-up
// gives way at once and the formatters are built on the main thread, as before.
describe('time formatting without a worker', () => {
  it('resolves the warm-up at once and still formats times', async () => {
    expect(typeof globalThis.Worker).toBe('undefined');
    await warmIntlOffThread();
    buildTimeFormatsSoon();
    const iso = '2026-03-04T09:05:00.000Z';
    expect(formatTime(iso)).toBe(
      new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(new Date(iso)),
    );
    expect(formatDay(iso, new Date(iso))).toBe('Today');
  });
});
