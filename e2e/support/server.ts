import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const e2ePort = Number(process.env.E2E_PORT ?? 3100);
/** The run's state and the logs of its servers (git-ignored); one folder per port, so runs can overlap. */
export const runDir = path.join(repoRoot, '.e2e-data', String(e2ePort));
const stateFile = path.join(runDir, 'state.json');

/** What global setup hands to the specs: enough to start another API process on the same database. */
export interface E2eState {
  baseURL: string;
  databaseUrl: string;
  /** The configuration every API process of this run gets (database, session secret, pinned limits). */
  env: Record<string, string>;
}

/** Variables of apps/api/src/env.ts, which must not leak from the developer's shell into a run. */
const apiVariables = new Set([
  'NODE_ENV',
  'PORT',
  'HOST',
  'DATABASE_URL',
  'REDIS_URL',
  'DATA_DIR',
  'SESSION_SECRET',
  'PUBLIC_URL',
  'LOGIN_RATE_LIMIT',
  'LOGIN_RATE_WINDOW_SECONDS',
  'REGISTER_RATE_LIMIT',
  'REGISTER_RATE_WINDOW_SECONDS',
  'SEND_RATE_LIMIT',
  'SEND_RATE_WINDOW_SECONDS',
  'CREATE_RATE_LIMIT',
  'CREATE_RATE_WINDOW_SECONDS',
  'TRUST_PROXY',
  'METRICS_PORT',
  'METRICS_HOST',
  'LOG_LEVEL',
  'WEB_DIST',
  'UPLOAD_RATE_LIMIT',
  'UPLOAD_RATE_WINDOW_SECONDS',
  'ATTACHMENT_MAX_BYTES',
  'STORAGE_DRIVER',
  'S3_BUCKET',
  'S3_ENDPOINT',
  'S3_REGION',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'S3_FORCE_PATH_STYLE',
  'LINK_PREVIEWS',
  'LINK_PREVIEW_ALLOW',
  'VAPID_PUBLIC_KEY',
  'VAPID_PRIVATE_KEY',
  'VAPID_SUBJECT',
  'PUSH_ENDPOINT_ALLOW',
]);

export function readState(): E2eState {
  return JSON.parse(readFileSync(stateFile, 'utf8'));
}

export interface ServerHandle {
  readonly port: number;
  /** http://localhost:<port>; a spec passes it to page.goto or request calls. */
  readonly url: string;
  readonly running: boolean;
  /** SIGTERM waits for a graceful shutdown; SIGKILL is a crash. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts the process again on the same port, database and environment; resolves once it answers. */
  start(): Promise<void>;
  restart(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export interface ServerOptions {
  /** Defaults to a free port. */
  port?: number;
  /** Added to (and overriding) the run's environment, e.g. `{ SEND_RATE_LIMIT: '0' }` or `{ REDIS_URL }`. */
  env?: Record<string, string>;
  /** Defaults to the run's state file; global setup passes its own before that file exists. */
  state?: E2eState;
}

const live = new Set<ChildProcess>();
// A spec that forgets to stop its server must not leave it running after the worker exits.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Starts an API process of its own (the built bundle serving the built SPA) against this run's
 * database, so a spec can stop, crash and restart it without disturbing the other specs:
 *
 *   const server = await startServer();
 *   await page.goto(`${server.url}/login`);
 *   await server.restart('SIGKILL'); // same port, database and session secret: sessions survive
 *   await server.stop();
 */
export async function startServer(options: ServerOptions = {}): Promise<ServerHandle> {
  const state = options.state ?? readState();
  const port = options.port ?? (await freePort());
  const inherited = Object.entries(process.env).filter(
    (entry): entry is [string, string] => entry[1] !== undefined && !apiVariables.has(entry[0]),
  );
  const env = { ...Object.fromEntries(inherited), ...state.env, ...options.env, PORT: String(port) };
  const url = `http://localhost:${port}`;
  const logFile = path.join(runDir, `server-${port}.log`);
  let child: ChildProcess | undefined;

  const handle: ServerHandle = {
    port,
    url,
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    async start() {
      if (handle.running) throw new Error(`the server on port ${port} is already running`);
      await assertPortFree(port);
      mkdirSync(runDir, { recursive: true });
      const log = openSync(logFile, 'a');
      const spawned = spawn(process.execPath, ['--enable-source-maps', path.join(repoRoot, 'apps/api/dist/index.js')], {
        cwd: repoRoot,
        env,
        stdio: ['ignore', log, log],
      });
      closeSync(log);
      child = spawned;
      live.add(spawned);
      spawned.once('exit', () => live.delete(spawned));
      await waitUntilAnswering(url, spawned, logFile);
    },
    async stop(signal = 'SIGTERM') {
      const current = child;
      if (!current || !handle.running) return;
      const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
      current.kill(signal);
      const timer = setTimeout(() => current.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
    async restart(signal = 'SIGTERM') {
      await handle.stop(signal);
      await handle.start();
    },
  };
  await handle.start();
  return handle;
}

async function waitUntilAnswering(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the API exited (${child.exitCode ?? child.signalCode}) before answering:\n${tail(logFile)}`);
    }
    try {
      // Any answer (401 here) means migrations ran and the server listens.
      await fetch(`${url}/api/auth/me`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`the API did not answer on ${url} within 60 s:\n${tail(logFile)}`);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', () => reject(new Error(`port ${port} is in use (an earlier run still going? set E2E_PORT)`)));
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
