import { describe, expect, it } from 'vitest';
import { createReading } from '../src/app/realtime/reading.ts';

describe('what is being read', () => {
  it('is the open conversation', () => {
    const reading = createReading();
    expect(reading.current()).toEqual({ conversationId: null });
    reading.open(4);
    expect(reading.current()).toEqual({ conversationId: 4 });
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
});
