import { defineConfig, devices } from '@playwright/test';
import { e2ePort } from './e2e/support/server.ts';
import { ChromiumMissing, findChromium } from './scripts/find-chromium.mjs';

const ci = Boolean(process.env.CI);
// CHROMIUM_PATH, else the system's Chromium (scripts/find-chromium.mjs, ADR 007; `pnpm test` installs one
// when it can). With neither, Playwright tries its own download (`npx playwright install chromium`).
let executablePath: string | undefined;
try {
  executablePath = findChromium()?.path;
} catch (err) {
  // A CHROMIUM_PATH that is no browser: its one line, not a stack trace through this file.
  if (!(err instanceof ChromiumMissing)) throw err;
  console.error(err.message);
  process.exit(1);
}

/**
 * The built app (apps/api/dist serving apps/web/dist) on E2E_PORT (3100) against a fresh database,
 * started by e2e/support/global-setup.ts; specs can start servers of their own (e2e/support/server.ts).
 */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  globalSetup: './e2e/support/global-setup.ts',
  // Two cores: 2 workers ran the suite in 35 s against 68 s for one; specs share the server, not state.
  workers: 2,
  fullyParallel: false,
  forbidOnly: ci,
  retries: ci ? 1 : 0,
  // A whole story, not a step (each step keeps its own 5–15 s): stories of three or four people in their
  // own browser contexts take 15–32 s on 2 cores with the other worker busy, so 30 s cut them mid-way.
  timeout: 60_000,
  expect: { timeout: 5_000 },
  globalTimeout: 8 * 60_000,
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    ...devices['Desktop Chrome'],
    baseURL: `http://localhost:${e2ePort}`,
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
});
