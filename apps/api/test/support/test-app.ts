import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ClientToServerEvents, Me, ServerToClientEvents } from '@parley/contracts';
import { createDatabase, type Database } from '@parley/db';
import pg from 'pg';
import pino from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, inject } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import type { Env } from '../../src/env.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let databaseCount = 0;

export type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

/** A fresh database copied from the run's migrated template; `{ empty: true }` for one with no tables. */
export async function createTestDatabase({ empty = false } = {}): Promise<{ url: string; drop: () => Promise<void> }> {
  const templateUrl = new URL(inject('templateUrl'));
  const template = templateUrl.pathname.slice(1);
  const name = `${template}_${process.pid}_${++databaseCount}`;
  const adminUrl = new URL(templateUrl);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(empty ? `create database "${name}"` : `create database "${name}" template "${template}"`);
  await admin.end();
  const url = new URL(templateUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl.toString() });
      await client.connect();
      await client.query(`drop database if exists "${name}" with (force)`);
      await client.end();
    },
  };
}

const testEnv: AppEnv = {
  PUBLIC_URL: undefined,
  LOGIN_RATE_LIMIT: 0,
  LOGIN_RATE_WINDOW_SECONDS: 900,
  REGISTER_RATE_LIMIT: 0,
  REGISTER_RATE_WINDOW_SECONDS: 3600,
  SEND_RATE_LIMIT: 0,
  SEND_RATE_WINDOW_SECONDS: 10,
  CREATE_RATE_LIMIT: 0,
  CREATE_RATE_WINDOW_SECONDS: 3600,
  TRUST_PROXY: false,
  WEB_DIST: undefined,
  // Each test process keeps its uploads apart from the others' and from a developer's .data.
  DATA_DIR: path.join(os.tmpdir(), `parley-test-${process.pid}`),
  UPLOAD_RATE_LIMIT: 0,
  UPLOAD_RATE_WINDOW_SECONDS: 600,
  ATTACHMENT_MAX_BYTES: 25 * 1024 * 1024,
  STORAGE_DRIVER: 'local',
  S3_BUCKET: undefined,
  S3_ENDPOINT: undefined,
  S3_REGION: 'us-east-1',
  S3_ACCESS_KEY_ID: undefined,
  S3_SECRET_ACCESS_KEY: undefined,
  S3_FORCE_PATH_STYLE: false,
  // No test reaches the outside world; the preview tests turn them on against their own fake site.
  LINK_PREVIEWS: 'off',
  LINK_PREVIEW_ALLOW: undefined,
};
type AppEnv = Parameters<typeof createApp>[0]['env'];

export interface TestServer {
  url: string;
  /** The metrics listener, on a port of its own. */
  metricsUrl: string;
  app: App;
  database: Database;
  stop(): Promise<void>;
}

/** An API listening on a random port of this machine against `databaseUrl`. */
export async function startServer(
  databaseUrl: string,
  env: Partial<Env> = {},
  options: Partial<
    Pick<
      Parameters<typeof createApp>[0],
      | 'presenceGraceMs'
      | 'redis'
      | 'logger'
      | 'clock'
      | 'sessionSweepMs'
      | 'requestTimeoutMs'
      | 'storage'
      | 'linkPreviewLimits'
      | 'sweepClock'
      | 'pushCa'
      | 'pageCacheBytes'
    >
  > = {},
): Promise<TestServer> {
  const database = createDatabase(databaseUrl, { max: 5, plannedMax: 4 });
  const app = createApp({
    env: { ...testEnv, ...env },
    database,
    sessionSecret: 'test-secret-that-is-long-enough-for-a-session',
    logger: pino({ level: 'silent' }),
    ...options,
  });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => app.metricsServer.listen(0, '127.0.0.1', resolve));
  const { port } = app.server.address() as AddressInfo;
  const metricsPort = (app.metricsServer.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
    app,
    database,
    async stop() {
      await app.close();
      await database.end();
    },
  };
}

type ServerOptions = NonNullable<Parameters<typeof startServer>[2]>;

/**
 * Given a fresh database and an API on it for this test file: started before its tests, stopped and
 * dropped after them. `options` may be a function, called for each API started (a replica needs its
 * own Redis connections). Every API test file gets its app and database here.
 */
export function apiForThisFile(
  env: Partial<Env> = {},
  options: ServerOptions | (() => ServerOptions | Promise<ServerOptions>) = {},
) {
  const state: { db?: TestDatabase; server?: TestServer; replicas: TestServer[] } = { replicas: [] };
  const start = async (overrides: Partial<Env> = {}) =>
    startServer(state.db!.url, { ...env, ...overrides }, typeof options === 'function' ? await options() : options);
  beforeAll(async () => {
    state.db = await createTestDatabase();
    state.server = await start();
  });
  afterAll(async () => {
    for (const replica of state.replicas.splice(0)) await replica.stop();
    await state.server?.stop();
    await state.db?.drop();
  });
  return {
    get db(): TestDatabase {
      return state.db!;
    },
    get server(): TestServer {
      return state.server!;
    },
    /** Another API on the same database (a second replica, or one configured otherwise), stopped with the file's. */
    async replica(overrides: Partial<Env> = {}): Promise<TestServer> {
      const replica = await start(overrides);
      state.replicas.push(replica);
      return replica;
    },
    /** Stops the file's API and starts a new one on the same database, as a deploy does. */
    async restart(): Promise<TestServer> {
      await state.server?.stop();
      state.server = await start();
      return state.server;
    },
  };
}

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A browser-like HTTP client: keeps its cookies (the session's and its hint), sends JSON. */
export class Client {
  cookie = '';
  constructor(public baseUrl: string) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const init: RequestInit = { method, headers: { ...headers } };
    const h = init.headers as Record<string, string>;
    if (this.cookie) h.cookie = this.cookie;
    if (body !== undefined) {
      h['content-type'] ??= 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(this.baseUrl + path, init);
    this.keepCookies(res.headers.getSetCookie());
    const text = await res.text();
    return {
      status: res.status,
      body: text ? JSON.parse(text) : undefined,
      headers: res.headers,
    } as Reply<T>;
  }
  /** Like a browser's jar: a cookie replaces the one of its name, and one cleared (expired) is dropped. */
  private keepCookies(setCookies: string[]) {
    if (setCookies.length === 0) return;
    const jar = new Map(this.cookie ? this.cookie.split('; ').map((c) => [c.split('=')[0]!, c] as const) : []);
    for (const line of setCookies) {
      const pair = line.split(';')[0]!;
      const name = pair.split('=')[0]!;
      const expires = /;\s*expires=([^;]+)/i.exec(line)?.[1];
      const cleared = /;\s*max-age=0\b/i.test(line) || (expires !== undefined && Date.parse(expires) <= Date.now());
      if (cleared) jar.delete(name);
      else jar.set(name, pair);
    }
    this.cookie = [...jar.values()].join('; ');
  }
  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }
  patch<T = any>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  put<T = any>(path: string) {
    return this.request<T>('PUT', path);
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }

  /** A Socket.IO connection carrying this client's session cookie. */
  socket(options: { origin?: string; transports?: ('websocket' | 'polling')[] } = {}): ClientSocket {
    const extraHeaders: Record<string, string> = {};
    if (this.cookie) extraHeaders.cookie = this.cookie;
    if (options.origin) extraHeaders.origin = options.origin;
    return connect(this.baseUrl, {
      transports: options.transports ?? ['websocket'],
      extraHeaders,
      reconnection: false,
      forceNew: true,
    });
  }
}

let userCount = 0;

/** Registers a user whose nickname starts with `name`; returns a signed-in client. */
export async function signUp(server: { url: string }, name: string): Promise<Client & { user: Me }> {
  const client = new Client(server.url) as Client & { user: Me };
  const unique = `${name}${++userCount}${process.pid % 1000}`;
  const body = { email: `${unique.toLowerCase()}@example.test`, nickname: unique, password: 'correct horse battery' };
  let res = await client.post('/api/auth/register', body);
  // Many sign-ups at once on a busy machine may be shed by the password-hash gate (503 with
  // Retry-After, ADR 026); a client waits as told and tries again.
  for (let tries = 1; res.status === 503 && tries < 5; tries++) {
    await new Promise((resolve) => setTimeout(resolve, Number(res.headers.get('retry-after') ?? 1) * 1000));
    res = await client.post('/api/auth/register', body);
  }
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  client.user = res.body.user;
  return client;
}

/** Connects and resolves once the server has joined the socket to its rooms. */
export async function connected(server: TestServer, socket: ClientSocket): Promise<ClientSocket> {
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  await until(async () => {
    const sockets = await server.app.io.fetchSockets();
    return sockets.some((s) => s.id === socket.id && [...s.rooms].some((room) => room.startsWith('user:')));
  });
  return socket;
}

/** Collects every payload of `event` on a socket. */
export function collect<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E) {
  const received: Parameters<ServerToClientEvents[E]>[0][] = [];
  socket.on(event as any, (payload: any) => received.push(payload));
  return received;
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Resolves once the server has let go of the socket with this id (its disconnect handlers have run). */
export async function gone(server: TestServer, socketId: string): Promise<void> {
  await until(async () => !(await server.app.io.fetchSockets()).some((s) => s.id === socketId));
}
