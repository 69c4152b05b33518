import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  measureFromObserver,
  scrollAfterFirstFrame,
} from '../src/features/messages/components/virtual-after-layout.ts';

// The helpers of ADR 054 against a stand-in scroll element and animation frames run by hand: what they
// promise is when a scroll is written and which size a row gets, not what a browser then paints.
let frames: FrameRequestCallback[] = [];
beforeEach(() => {
  frames = [];
  globalThis.requestAnimationFrame = (callback) => frames.push(callback);
});
afterEach(() => {
  Reflect.deleteProperty(globalThis, 'requestAnimationFrame');
});
const runFrame = () => {
  const due = frames;
  frames = [];
  for (const callback of due) callback(0);
};

function scroller() {
  const writes: number[] = [];
  const instance = {
    scrollElement: { scrollTo: ({ top }: { top: number }) => writes.push(top) },
    options: { horizontal: false, isRtl: false },
  };
  return { writes, instance: instance as never };
}

describe('scroll writes before the first frame', () => {
  it('wait for that frame, where only the last is written; later ones go straight through', () => {
    const scrollTo = scrollAfterFirstFrame();
    const { writes, instance } = scroller();
    scrollTo(100, { adjustments: 0 }, instance);
    scrollTo(340, { adjustments: 20 }, instance);
    expect(writes).toEqual([]);
    runFrame();
    expect(writes).toEqual([360]);
    scrollTo(50, {}, instance);
    expect(writes).toEqual([360, 50]);
    expect(frames).toHaveLength(0);
  });
});

describe('a row measured from its ResizeObserver', () => {
  const sizes = new Map<string, number>([['m7', 120]]);
  const instance = {
    indexFromElement: (element: { index: number }) => element.index,
    itemSizeCache: sizes,
    options: { getItemKey: (index: number) => `m${index}`, estimateSize: () => 76 },
  } as never;
  const row = (index: number) => ({ index }) as never;

  it('takes the size the observer saw', () => {
    const entry = { borderBoxSize: [{ blockSize: 93.6, inlineSize: 400 }] } as never;
    expect(measureFromObserver(row(3), entry, instance)).toBe(94);
  });

  it('without an entry (its ref), keeps the size already known, else the estimate, and reads no layout', () => {
    expect(measureFromObserver(row(7), undefined, instance)).toBe(120);
    expect(measureFromObserver(row(8), undefined, instance)).toBe(76);
  });
});
