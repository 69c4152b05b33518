import { describe, expect, it } from 'vitest';
import { createPageCache } from '../../src/read-cache/page-cache.ts';

const page = (bytes: number) => ({ body: Buffer.alloc(bytes, 'x'), etag: undefined });
const v = (seq: number, nicknames = 0) => ({ seq, nicknames });

describe('createPageCache', () => {
  it('answers a page only at the version it was kept at', () => {
    const cache = createPageCache(10_000);
    cache.set('1:p', v(5), page(10));
    expect(cache.get('1:p', v(5))).toBeDefined();
    expect(cache.get('1:p', v(6))).toBeUndefined();
    expect(cache.get('1:p', v(5, 1))).toBeUndefined();
    expect(cache.get('2:p', v(5))).toBeUndefined();
  });

  it('keeps one version per key: a newer page replaces the older', () => {
    const cache = createPageCache(10_000);
    cache.set('1:p', v(5), page(100));
    cache.set('1:p', v(6), page(100));
    expect(cache.stats().entries).toBe(1);
    expect(cache.get('1:p', v(5))).toBeUndefined();
    expect(cache.get('1:p', v(6))).toBeDefined();
  });

  it('stays within its bytes by dropping the least recently used pages', () => {
    const cache = createPageCache(3_100);
    cache.set('a', v(1), page(800));
    cache.set('b', v(1), page(800));
    cache.set('c', v(1), page(800));
    cache.get('a', v(1)); // a is now the most recently used: b goes first
    cache.set('d', v(1), page(800));
    expect(cache.stats().bytes).toBeLessThanOrEqual(3_100);
    expect(cache.get('b', v(1))).toBeUndefined();
    for (const key of ['a', 'c', 'd']) expect(cache.get(key, v(1))).toBeDefined();
  });

  it('never keeps a page larger than the whole bound, nor anything with a bound of 0', () => {
    const cache = createPageCache(1_000);
    cache.set('big', v(1), page(5_000));
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0 });
    const off = createPageCache(0);
    off.set('a', v(1), page(1));
    expect(off.get('a', v(1))).toBeUndefined();
  });
});
