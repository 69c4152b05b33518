// `pnpm start`: builds what is missing or stale, then serves the API and the built SPA on one port.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import path from 'node:path';
import { buildIfStale, repoRoot } from './build-if-stale.mjs';

try {
  await buildIfStale();
} catch (err) {
  console.error(err.message);
  process.exit(1);
}

const child = spawn(process.execPath, ['--enable-source-maps', path.join(repoRoot, 'apps/api/dist/index.js')], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: {
    ...process.env,
    WEB_DIST: path.join(repoRoot, 'apps/web/dist'),
    DATA_DIR: path.resolve(repoRoot, process.env.DATA_DIR ?? '.data'),
  },
});

// The API shuts down gracefully on these; we exit when it has.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.once('exit', (code, signal) => {
  process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
});
