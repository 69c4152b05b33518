import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type EmbeddedServer, startEmbeddedPostgres } from '@parley/db';
import pg from 'pg';

export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(benchDir, '../..');
const apiDir = path.join(repoRoot, 'apps/api');
const SESSION_SECRET = 'bench-secret-that-is-long-enough-for-a-session-cookie';

const children = new Set<ChildProcess>();
/** Kills every child still running (on exit, Ctrl-C or a crash of the suite). */
export function killAll() {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
}
process.on('exit', killAll);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
}

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** The process and its descendants (the workers of `--processes=N`), by pid. */
function processTree(pid: number): number[] {
  const children = readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
  );
  return [pid, ...children.flatMap(processTree)];
}

/** CPU seconds used so far by the process and its descendants that are still running. */
function treeCpuSeconds(pid: number): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const p of processTree(pid)) {
    try {
      cpu.set(p, cpuSeconds(p));
    } catch {
      // the process ended meanwhile
    }
  }
  return cpu;
}

let benchDatabaseName = '';
const postgresShared = /^postgres: .*(checkpointer|background writer|walwriter|wal writer|autovacuum)/;

/**
 * CPU seconds used so far, per process, by the PostgreSQL processes working for this run: the
 * backends connected to the bench database and the server's shared writers. Other databases'
 * backends (other test runs on the machine) are left out.
 */
function postgresCpu(): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!title.startsWith('postgres')) continue;
      if (!(benchDatabaseName && title.includes(benchDatabaseName)) && !postgresShared.test(title)) continue;
      cpu.set(Number(entry), cpuSeconds(Number(entry)));
    } catch {
      // the process ended meanwhile
    }
  }
  return cpu;
}

export interface CpuShare {
  /** Cores used on average (1 = one core busy) by the server under test, PostgreSQL and this generator. */
  server: number;
  postgres: number;
  generator: number;
}
export const fmtCpu = (c: CpuShare | undefined) =>
  c ? `${(c.server * 100).toFixed(0)}% / ${(c.postgres * 100).toFixed(0)}% / ${(c.generator * 100).toFixed(0)}%` : '–';

/** Starts measuring; the returned function gives the CPU used since, per second of wall time. */
export function cpuMeter(serverPid: number): () => CpuShare {
  const t0 = performance.now();
  const s0 = treeCpuSeconds(serverPid);
  const p0 = postgresCpu();
  const g0 = process.cpuUsage();
  const since = (now: Map<number, number>, then: Map<number, number>) =>
    [...now].reduce((sum, [pid, cpu]) => sum + cpu - (then.get(pid) ?? 0), 0);
  return () => {
    const wall = (performance.now() - t0) / 1000;
    const g = process.cpuUsage(g0);
    return {
      server: since(treeCpuSeconds(serverPid), s0) / wall,
      postgres: since(postgresCpu(), p0) / wall,
      generator: (g.user + g.system) / 1e6 / wall,
    };
  };
}

export interface BenchDatabase {
  url: string;
  name: string;
  /** Which server holds it, for the report: the one at 127.0.0.1:5432, or the embedded fallback. */
  server: string;
  query<T extends pg.QueryResultRow = any>(text: string, values?: unknown[]): Promise<pg.QueryResult<T>>;
  drop(): Promise<void>;
}

async function answers(url: URL): Promise<boolean> {
  const probe = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 1_000 });
  try {
    await probe.connect();
    await probe.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * A fresh, empty database on BENCH_DATABASE_URL's server (default: the local Postgres, or, when none
 * answers there, an embedded one in a temporary folder, as on a newcomer's machine); the API migrates it.
 */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const defaultServer = '127.0.0.1:5432';
  let adminUrl = new URL(process.env.BENCH_DATABASE_URL ?? `postgres://postgres@${defaultServer}/postgres`);
  adminUrl.pathname = '/postgres';
  let embedded: { server: EmbeddedServer; dir: string } | undefined;
  if (!process.env.BENCH_DATABASE_URL && !(await answers(adminUrl))) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-'));
    const server = await startEmbeddedPostgres(dir, { database: 'postgres' });
    embedded = { server, dir };
    adminUrl = new URL(server.url('postgres'));
    console.log(`[bench] no PostgreSQL at ${defaultServer}: using an embedded one`);
  }
  const name = `parley_bench_${randomBytes(4).toString('hex')}`;
  benchDatabaseName = name;
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const poolDb = new pg.Pool({ connectionString: url.toString(), max: 2 });
  return {
    url: url.toString(),
    name,
    server: embedded
      ? `an embedded PostgreSQL in a temporary folder (nothing answered at ${defaultServer})`
      : `the PostgreSQL at ${adminUrl.host}`,
    query: (text, values) => poolDb.query(text, values as any[]),
    async drop() {
      await poolDb.end();
      const client = new pg.Client({ connectionString: adminUrl.toString() });
      await client.connect();
      await client.query(`drop database if exists "${name}" with (force)`);
      await client.end();
      if (embedded) {
        await embedded.server.stop();
        await rm(embedded.dir, { recursive: true, force: true });
      }
    },
  };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

export interface ApiEntry {
  kind: 'dist' | 'src';
  args: string[];
  note: string;
}

/**
 * The built bundle when it exists and is newer than the sources it was built from, else the
 * TypeScript source through tsx (resolved from @parley/api's own dependencies). A path to a `.js`
 * file runs that bundle instead: another commit's build, to compare two versions under one harness.
 */
export function apiEntry(preference: string = 'auto'): ApiEntry {
  if (preference.endsWith('.js')) {
    const bundle = path.resolve(preference);
    if (!existsSync(bundle)) throw new Error(`--api=${preference}: no such bundle`);
    return { kind: 'dist', args: [bundle], note: `the bundle ${bundle}` };
  }
  const dist = path.join(apiDir, 'dist/index.js');
  const sources = ['apps/api/src', 'packages/db/src', 'packages/contracts/src'].map((d) => path.join(repoRoot, d));
  const sourceTime = Math.max(...sources.map(newestMtime));
  const distUsable = existsSync(dist);
  const distFresh = distUsable && statSync(dist).mtimeMs >= sourceTime;
  if (preference === 'dist' || (preference === 'auto' && distFresh)) {
    if (!distUsable) throw new Error('apps/api/dist/index.js is missing: run `pnpm --filter @parley/api build`');
    return { kind: 'dist', args: [dist], note: distFresh ? 'built bundle' : 'built bundle (older than the sources)' };
  }
  const tsx = createRequire(path.join(apiDir, 'package.json')).resolve('tsx');
  const note = distUsable
    ? 'TypeScript source via tsx (the bundle is older than the sources)'
    : 'TypeScript source via tsx';
  return { kind: 'src', args: ['--import', pathToFileURL(tsx).href, path.join(apiDir, 'src/index.ts')], note };
}

export interface Running {
  name: string;
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** Milliseconds from spawn to the first successful readiness answer. */
  startMs: number;
  readyProbe: string;
  stderr: () => string;
  stop(): Promise<void>;
}

function get(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(2_000, () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/**
 * Spawns `node <args>` and polls until it answers: `/readyz` 200, or (an API without `/readyz` yet)
 * `/api/auth/me` 401.
 */
export async function spawnServer(options: {
  name: string;
  args: string[];
  env: Record<string, string>;
  nodeArgs?: string[];
  timeoutMs?: number;
}): Promise<Running> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...options.args], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ...options.env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let errText = '';
  child.stderr!.on('data', (d: Buffer) => {
    errText = (errText + d.toString()).slice(-4000);
  });
  child.stdout!.on('data', (d: Buffer) => {
    errText = (errText + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = t0 + (options.timeoutMs ?? 30_000);
  let probe = '';
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.name} exited with ${child.exitCode}: ${errText.trim()}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} not ready after ${options.timeoutMs ?? 30_000} ms: ${errText.trim()}`);
    }
    const ready = await get(`${url}/readyz`);
    if (ready === 200) {
      probe = '/readyz 200';
      break;
    }
    if (ready === 404 && (await get(`${url}/api/auth/me`)) === 401) {
      probe = '/api/auth/me 401 (no /readyz yet)';
      break;
    }
    await new Promise((r) => setTimeout(r, 3));
  }
  const startMs = performance.now() - t0;
  return {
    name: options.name,
    url,
    port,
    pid: child.pid!,
    child,
    startMs,
    readyProbe: probe,
    stderr: () => errText,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      children.delete(child);
    },
  };
}

export async function startApi(options: {
  name: string;
  databaseUrl: string;
  entry: ApiEntry;
  redisUrl?: string;
  nodeArgs?: string[];
  /** More than one: that many workers behind one port (cluster.ts), on Redis. */
  processes?: number;
  /** The built web app to serve (`WEB_DIST`), as `pnpm start` does; the Lighthouse rows need it. */
  webDist?: string;
}): Promise<Running> {
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: options.databaseUrl,
    SESSION_SECRET,
    SEND_RATE_LIMIT: '0',
    LOGIN_RATE_LIMIT: '0',
    REGISTER_RATE_LIMIT: '0',
    CREATE_RATE_LIMIT: '0',
    // Several replicas per run: each metrics listener takes a free port.
    METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
  };
  if (options.webDist) env.WEB_DIST = options.webDist;
  if (options.redisUrl) {
    env.REDIS_URL = options.redisUrl;
    env.REDIS_PREFIX = redisPrefix;
  }
  const processes = options.processes ?? 1;
  if (processes === 1) {
    return spawnServer({ name: options.name, args: options.entry.args, env, nodeArgs: options.nodeArgs ?? [] });
  }
  if (!options.redisUrl)
    throw new Error('--processes needs Redis: sends on one worker must reach the sockets of the other');
  const exec = options.entry.args.at(-1)!;
  const entryArgs = options.entry.args.slice(0, -1);
  const tsx = createRequire(path.join(benchDir, 'package.json')).resolve('tsx');
  const running = await spawnServer({
    name: options.name,
    args: ['--import', pathToFileURL(tsx).href, path.join(benchDir, 'src/cluster.ts')],
    env: {
      ...env,
      API_PROCESSES: String(processes),
      BENCH_API_EXEC: exec,
      BENCH_API_EXEC_ARGV: JSON.stringify([...(options.nodeArgs ?? []), ...entryArgs]),
    },
  });
  // The first worker to listen answers /readyz; the load waits for all of them.
  const deadline = performance.now() + 30_000;
  while (!running.stderr().includes(`${processes} workers listening`)) {
    if (performance.now() > deadline) throw new Error(`${options.name}: not all ${processes} workers listened`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return running;
}

/** This run's Redis namespace, so a bench never meets another app's keys (or leaves its own behind). */
export const redisPrefix = `parley-bench-${randomBytes(4).toString('hex')}`;

/** The baseline: bare-server.ts, a Socket.IO server with no database and no auth. */
export function startBare(name = 'bare'): Promise<Running> {
  const tsx = createRequire(path.join(benchDir, 'package.json')).resolve('tsx');
  return spawnServer({
    name,
    args: ['--import', pathToFileURL(tsx).href, path.join(benchDir, 'src/bare-server.ts')],
    env: { NODE_ENV: 'production' },
  });
}
