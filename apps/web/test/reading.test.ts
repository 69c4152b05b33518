import { describe, expect, it } from 'vitest';
import { createReading } from '../src/app/realtime/reading.ts';

describe('what is being read', () => {
  it('is the open conversation, at its newest message until the reader scrolls up', () => {
    const reading = createReading();
    expect(reading.current()).toEqual({ conversationId: null, atBottom: true });
    reading.open(4);
    reading.setAtBottom(false);
    expect(reading.current()).toEqual({ conversationId: 4, atBottom: false });
  });

  it('is nothing once the view closes, but a late close of a previous view leaves the next one open', () => {
    const reading = createReading();
    const closeFirst = reading.open(4);
    const closeSecond = reading.open(5);
    closeFirst();
    expect(reading.current().conversationId).toBe(5);
    closeSecond();
    expect(reading.current().conversationId).toBeNull();
  });

  it('hands out snapshots: a value read earlier does not change under its reader', () => {
    const reading = createReading();
    reading.open(4);
    const before = reading.current();
    reading.setAtBottom(false);
    expect(before.atBottom).toBe(true);
  });
});
