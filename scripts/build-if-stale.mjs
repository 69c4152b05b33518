// Builds the web app and the API when their output is missing or older than their sources.
// Shared by `pnpm start`, `pnpm test` and the e2e global setup; also runnable on its own.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (...parts) => path.join(repoRoot, ...parts);

const targets = [
  {
    name: '@parley/web',
    output: at('apps/web/dist/index.html'),
    inputs: [
      at('apps/web/src'),
      at('apps/web/public'),
      at('apps/web/index.html'),
      at('apps/web/vite.config.ts'),
      at('apps/web/precompress.ts'),
      at('apps/web/emojibase-data.ts'),
      at('apps/web/package.json'),
    ],
  },
  {
    name: '@parley/api',
    output: at('apps/api/dist/index.js'),
    inputs: [at('apps/api/src'), at('apps/api/build.mjs'), at('apps/api/package.json'), at('packages/db/migrations')],
  },
];
const sharedInputs = [at('packages/contracts/src'), at('packages/db/src'), at('pnpm-lock.yaml')];

/** Newest modification time under a file or folder (a few hundred stat calls: cheap). */
function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

/** Runs pnpm the way this process was started (`npx -y pnpm@10 …` sets npm_execpath), else from PATH. */
export function pnpm(args, options = {}) {
  const execPath = process.env.npm_execpath;
  const [command, commandArgs] =
    execPath && /pnpm/.test(execPath)
      ? /\.c?js$/.test(execPath)
        ? [process.execPath, [execPath, ...args]]
        : [execPath, args]
      : ['pnpm', args];
  return run(command, commandArgs, options);
}

export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit', ...options });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Builds what is stale; throws when a build fails. */
export async function buildIfStale({ force = false } = {}) {
  for (const target of targets) {
    const built = existsSync(target.output) ? statSync(target.output).mtimeMs : 0;
    const changed = Math.max(...[...target.inputs, ...sharedInputs].map(newestMtime));
    if (!force && built > changed) continue;
    console.log(`> building ${target.name} (${built ? 'sources changed' : 'no build yet'})`);
    const code = await pnpm(['--filter', target.name, 'build']);
    if (code !== 0) throw new Error(`building ${target.name} failed (exit code ${code})`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildIfStale({ force: process.argv.includes('--force') }).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
