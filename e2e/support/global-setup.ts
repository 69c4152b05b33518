import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildIfStale } from '../../scripts/build-if-stale.mjs';
import { createE2eDatabase } from './database.ts';
import { type E2eState, e2ePort, repoRoot, runDir, startServer } from './server.ts';

/**
 * Builds what is stale, creates a fresh database and starts the built app on E2E_PORT against it,
 * then writes .e2e-data/<port>/state.json so specs can start servers of their own (support/server.ts).
 * The returned function is the global teardown.
 */
export default async function globalSetup() {
  await buildIfStale();
  await rm(runDir, { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });
  const database = await createE2eDatabase();

  const baseURL = `http://localhost:${e2ePort}`;
  const state: E2eState = {
    baseURL,
    databaseUrl: database.url,
    env: {
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      DATA_DIR: path.join(runDir, 'data'),
      // Shared by every server of the run, so a session outlives a restart.
      SESSION_SECRET: randomBytes(32).toString('hex'),
      WEB_DIST: path.join(repoRoot, 'apps/web/dist'),
      // The documented defaults, pinned: specs check these limits.
      LOGIN_RATE_LIMIT: '10',
      LOGIN_RATE_WINDOW_SECONDS: '900',
      SEND_RATE_LIMIT: '30',
      SEND_RATE_WINDOW_SECONDS: '10',
      CREATE_RATE_LIMIT: '30',
      // Every spec signs its people up from this one address: the per-IP sign-up limit would stop the run.
      REGISTER_RATE_LIMIT: '0',
      // Several runs (and their restarted servers) share the machine: each metrics listener takes a free port.
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      // No spec reaches the internet; the attachments spec turns previews on against its own fake site.
      LINK_PREVIEWS: 'off',
    },
  };
  await writeFile(path.join(runDir, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);

  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({ port: e2ePort, state });
  } catch (err) {
    await database.drop();
    throw err;
  }
  return async () => {
    await server.stop();
    await database.drop();
  };
}
