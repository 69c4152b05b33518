import { describe, expect, it } from 'vitest';
import { createLocalPresence } from '../src/realtime/presence.ts';
import { createTypingThrottle } from '../src/realtime/typing.ts';
import { manualClock } from './support/clock.ts';

describe('the typing throttle', () => {
  it('lets 3 through in any second per key, and more once the window has moved on', () => {
    const clock = manualClock();
    const throttle = createTypingThrottle(clock);
    const tries = () => Array.from({ length: 5 }, () => throttle.allow('a'));
    expect(tries()).toEqual([true, true, true, false, false]);
    expect(throttle.allow('b')).toBe(true); // another user or conversation has its own budget
    clock.advance(999);
    expect(throttle.allow('a')).toBe(false);
    clock.advance(1);
    expect(tries()).toEqual([true, true, true, false, false]);
  });

  it('is a sliding window: each event frees its slot one second after it', () => {
    const clock = manualClock();
    const throttle = createTypingThrottle(clock);
    expect(throttle.allow('a')).toBe(true);
    clock.advance(500);
    expect([throttle.allow('a'), throttle.allow('a'), throttle.allow('a')]).toEqual([true, true, false]);
    clock.advance(500); // the first has left the window, the two others have not
    expect([throttle.allow('a'), throttle.allow('a')]).toEqual([true, false]);
    throttle.forget('a');
    expect(throttle.allow('a')).toBe(true);
  });
});

describe('local presence', () => {
  it('announces offline only once the grace period after the last socket has passed', async () => {
    const clock = manualClock();
    const offline: number[] = [];
    const presence = createLocalPresence((id) => offline.push(id), { graceMs: 5_000, clock });
    expect(await presence.connected(1, 's1')).toBe(true);
    expect(await presence.connected(1, 's2')).toBe(false);
    await presence.disconnected(1, 's1');
    await presence.disconnected(1, 's2');
    clock.advance(4_999);
    expect(offline).toEqual([]);
    expect(await presence.onlineAmong([1, 2])).toEqual(new Set([1]));
    // A reload within the grace period: no offline, and not "came online" again either.
    expect(await presence.connected(1, 's3')).toBe(false);
    clock.advance(10_000);
    expect(offline).toEqual([]);
    await presence.disconnected(1, 's3');
    clock.advance(5_000);
    expect(offline).toEqual([1]);
    expect(await presence.onlineAmong([1])).toEqual(new Set());
  });
});
