// `pnpm test`: the vitest suites, then the Playwright specs against the built app. Both always run;
// the exit code is non-zero when either failed, and the last line sums it up.
import path from 'node:path';
import { buildIfStale, repoRoot, run } from './build-if-stale.mjs';

const bin = (name) => path.join(repoRoot, 'node_modules/.bin', name);
const results = [];

async function step(name, action) {
  const started = performance.now();
  console.log(`\n> ${name}`);
  let ok;
  try {
    ok = (await action()) === 0;
  } catch (err) {
    console.error(err.message);
    ok = false;
  }
  results.push(`${name} ${ok ? 'passed' : 'FAILED'} (${((performance.now() - started) / 1000).toFixed(1)}s)`);
  return ok;
}

const unit = await step('unit', () => run(bin('vitest'), ['run']));
const e2e = await step('e2e', async () => {
  await buildIfStale();
  return run(bin('playwright'), ['test']);
});

console.log(`\ntest summary: ${results.join(' · ')}`);
process.exit(unit && e2e ? 0 : 1);
