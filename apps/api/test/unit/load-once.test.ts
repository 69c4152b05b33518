import { expect, it } from 'vitest';
import { loadOnce } from '../../src/load-once.ts';

it('loads once for every caller, and tries again after a failure instead of keeping it', async () => {
  let attempts = 0;
  const load = loadOnce(async () => {
    attempts += 1;
    if (attempts === 1) throw new Error('EMFILE: too many open files');
    return `module ${attempts}`;
  });
  await expect(load()).rejects.toThrow('EMFILE');
  const [a, b] = await Promise.all([load(), load()]);
  expect([a, b, await load()]).toEqual(['module 2', 'module 2', 'module 2']);
  expect(attempts).toBe(2);
});
