// `pnpm test`: finds (or, as root, installs) Chromium first, then lint and types, the vitest suites, the
// Playwright specs against the built app, then the benchmark suite's quick smoke run. All always run; the
// exit code is non-zero when any failed, and the last line sums it up. Without a browser it stops at once
// with one line saying what to install: minutes of lint and unit tests would end in a failure anyway.
import path from 'node:path';
import { buildIfStale, pnpm, repoRoot, run } from './build-if-stale.mjs';
import { ChromiumMissing, ensureChromium } from './find-chromium.mjs';

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

let chromium;
try {
  chromium = await ensureChromium();
} catch (err) {
  if (!(err instanceof ChromiumMissing)) throw err;
  console.error(err.message);
  process.exit(1);
}
console.log(`Chromium for the e2e tests: ${chromium.path} (from ${chromium.source})`);

const lint = await step('lint', () => pnpm(['lint']));
const unit = await step('unit', () => run(bin('vitest'), ['run']));
const e2e = await step('e2e', async () => {
  await buildIfStale();
  // playwright.config.ts would find the same one; passing it on makes sure it drives the one named above.
  return run(bin('playwright'), ['test'], { env: { ...process.env, CHROMIUM_PATH: chromium.path } });
});

// The one-minute smoke run of `pnpm bench`: proves the suite still works, judges no figure (issue 7).
const bench = await step('bench --quick', () => pnpm(['--filter', '@parley/bench', 'bench', '--quick']));

console.log(`\ntest summary: ${results.join(' · ')}`);
process.exit(lint && unit && e2e && bench ? 0 : 1);
