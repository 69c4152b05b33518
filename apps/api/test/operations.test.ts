import { type ChildProcess, spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import express, { Router } from 'express';
import { describe, expect, it } from 'vitest';
import { mounted } from '../src/http/route-pattern.ts';
import { createLogger } from '../src/observability/logger.ts';
import { createMetrics } from '../src/observability/metrics.ts';
import { aliceAndBob } from './support/fixtures.ts';
import { apiForThisFile, Client, connected, signUp, startServer, until } from './support/test-app.ts';

const logLines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    logLines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});
const file = apiForThisFile({}, { logger: createLogger('info', sink) });

describe('probes and metrics', () => {
  it('answers /healthz and /readyz', async () => {
    const client = new Client(file.server.url);
    expect((await client.get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await client.get('/readyz')).status).toBe(200);
  });

  it('exposes Prometheus metrics for requests, sockets, messages, fan-out and the pool', async () => {
    const { alice, conversation: c } = await aliceAndBob(file.server);
    const socket = await connected(file.server, alice.socket());
    await alice.post(`/api/conversations/${c.id}/messages`, { content: 'counted' });
    const res = await fetch(`${file.server.metricsUrl}/metrics`);
    const text = await res.text();
    socket.disconnect();
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(
      /parley_http_request_duration_seconds_count\{method="POST",route="\/api\/conversations\/:id\/messages",status="201"\} 1/,
    );
    expect(text).toMatch(/parley_sockets_connected 1/);
    expect(text).toMatch(/parley_messages_sent_total 1/);
    expect(text).toMatch(/parley_fanout_duration_seconds_count\{event="message:new"\} 1/);
    expect(text).toMatch(/parley_db_pool_clients\{state="total"\} \d+/);
  });

  it('keeps route labels bounded whatever URLs visitors make up', async () => {
    for (const path of ['/nope-1', '/nope-2', '/api/whatever/1', '/api/conversations/abc', '/c/1', '/c/2']) {
      await (await fetch(file.server.url + path)).text();
    }
    const text = await (await fetch(`${file.server.metricsUrl}/metrics`)).text();
    const routes = new Set(
      [...text.matchAll(/parley_http_request_duration_seconds_count\{[^}]*route="([^"]*)"/g)].map((m) => m[1]),
    );
    expect(routes.has('unmatched')).toBe(true);
    for (const route of routes) expect(route).not.toMatch(/nope|whatever|abc|\/\d/);
  });

  it('labels each request with the pattern of the route that answered it, new words included', async () => {
    // A route the app does not have yet (a new word such as "reactions"), mounted as the app mounts its own.
    const metrics = createMetrics(file.server.database.pool, () => 0);
    const reactions = Router({ mergeParams: true });
    reactions.get('/reactions/:emoji', (_req, res) => {
      res.json({});
    });
    const api = Router();
    api.use(...mounted('/conversations/:id', reactions));
    const app = express();
    app.use(metrics.httpMiddleware);
    app.use(...mounted('/api', api));
    const other = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => other.once('listening', resolve));
    try {
      const { port } = other.address() as AddressInfo;
      await (await fetch(`http://127.0.0.1:${port}/api/conversations/7/reactions/smile`)).text();
      await (await fetch(`http://127.0.0.1:${port}/api/conversations/8/reactions/wave`)).text();
      const text = await metrics.registry.metrics();
      expect(text).toMatch(
        /parley_http_request_duration_seconds_count\{method="GET",route="\/api\/conversations\/:id\/reactions\/:emoji",status="200"\} 2/,
      );
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
    // The app's own routes, refused inside the route (no session), are labelled by their pattern too.
    const anonymous = new Client(file.server.url);
    expect((await anonymous.get('/api/conversations/123/messages')).status).toBe(401);
    expect((await anonymous.get('/api/nothing-here/123')).status).toBe(404);
    const own = await (await fetch(`${file.server.metricsUrl}/metrics`)).text();
    expect(own).toMatch(/\{method="GET",route="\/api\/conversations\/:id\/messages",status="401"\} 1/);
    expect(own).toMatch(/\{method="GET",route="unmatched",status="404"\}/);
  });

  it('logs JSON with a request id and never a password, cookie or message content', async () => {
    const { alice, conversation: c } = await aliceAndBob(file.server);
    await alice.post(`/api/conversations/${c.id}/messages`, { content: 'top secret words' });
    await alice.post('/api/auth/login', { email: 'x@example.test', password: 'hunter2-password' });
    const all = logLines.join('\n');
    expect(all).not.toContain('top secret words');
    expect(all).not.toContain('hunter2-password');
    expect(all).not.toContain('correct horse battery');
    expect(all).not.toContain(/parley\.sid=([^;]+)/.exec(alice.cookie)![1]!);
    const requests = logLines.map((l) => JSON.parse(l)).filter((l) => l.req);
    expect(requests.length).toBeGreaterThan(3);
    for (const line of requests) expect(line.req.id).toEqual(expect.any(String));
  });
});

describe('every /api answer', () => {
  it('carries the security headers, no-store and a request id, errors and refusals included', async () => {
    const { alice } = await aliceAndBob(file.server);
    const anonymous = new Client(file.server.url);
    const answers = [
      await alice.get('/api/auth/me'),
      await alice.post('/api/conversations', '{"broken', {}),
      await alice.post('/api/conversations', { memberIds: [] }, { origin: 'https://elsewhere.example' }),
      await anonymous.get('/api/auth/me'),
      await anonymous.get('/api/no-such-thing'),
      await anonymous.request('OPTIONS', '/api/auth/me'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 400, 403, 401, 404, 404]);
    const ids = new Set<string>();
    for (const { headers } of answers) {
      expect(headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(headers.get('cache-control')).toBe('no-store');
      expect(headers.get('x-powered-by')).toBeNull();
      ids.add(headers.get('x-request-id')!);
    }
    // One id per request, none missing.
    expect(ids.size).toBe(answers.length);
    expect([...ids].every((id) => /^[\w.-]{1,64}$/.test(id))).toBe(true);
  });

  it("keeps a proxy's request id when it looks like one and replaces anything else", async () => {
    const client = new Client(file.server.url);
    const kept = await client.request('GET', '/api/auth/me', undefined, { 'x-request-id': 'edge-42.a_b' });
    expect(kept.headers.get('x-request-id')).toBe('edge-42.a_b');
    const replaced = await client.request('GET', '/api/auth/me', undefined, { 'x-request-id': 'a b<script>' });
    expect(replaced.headers.get('x-request-id')).not.toBe('a b<script>');
    expect(replaced.headers.get('x-request-id')).toMatch(/^[\w.-]{1,64}$/);
  });
});

describe('when the database is unreachable', () => {
  it('answers 503 with Retry-After instead of failing or hanging', async () => {
    const down = await startServer('postgres://postgres@127.0.0.1:9/nowhere');
    try {
      const ready = await new Client(down.url).get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.headers.get('retry-after')).toBeTruthy();
      const login = await new Client(down.url).post('/api/auth/login', {
        email: 'a@example.test',
        password: 'whatever1',
      });
      expect(login.status).toBe(503);
      expect(login.body.error.code).toBe('unavailable');
      expect(login.headers.get('retry-after')).toBeTruthy();
    } finally {
      await down.stop();
    }
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The API as a real process, as an operator runs it. */
async function spawnApi(port: number, logLevel = 'silent'): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx/esm', path.resolve(import.meta.dirname, '../src/index.ts')], {
    env: {
      ...process.env,
      DATABASE_URL: file.db.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: logLevel,
      SEND_RATE_LIMIT: '0',
      METRICS_PORT: '0',
      SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
      REDIS_URL: '',
    },
    cwd: path.resolve(import.meta.dirname, '..'),
    stdio: ['ignore', logLevel === 'silent' ? 'ignore' : 'pipe', 'ignore'],
  });
  await until(async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok;
    } catch {
      return false;
    }
  }, 20_000);
  return child;
}

describe('graceful shutdown', () => {
  it('writes every log line out before it exits, the last one included', async () => {
    const port = await freePort();
    const child = await spawnApi(port, 'info');
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const ended = new Promise<void>((resolve) => child.stdout!.once('end', resolve));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const me = await fetch(`http://127.0.0.1:${port}/api/auth/me`);
    expect(me.status).toBe(401);
    const requestId = me.headers.get('x-request-id');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await ended;
    const lines = output
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'request completed',
        req: { id: requestId, method: 'GET', url: '/api/auth/me' },
        res: { statusCode: 401 },
      }),
    );
    // Logged after everything else was closed, just before the exit.
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped', signal: 'SIGTERM' });
  }, 30_000);

  it('exits within 10 s on SIGTERM; every send is either stored and answered, or refused and retried once', async () => {
    const port = await freePort();
    let child = await spawnApi(port);
    const base = `http://127.0.0.1:${port}`;
    const alice = await signUp({ url: base }, 'Alice');
    const bob = await signUp({ url: base }, 'Bob');
    const c = (await alice.post('/api/conversations', { memberIds: [bob.user.id] })).body.conversation;
    const url = `/api/conversations/${c.id}/messages`;
    const live = alice.socket();
    await new Promise<void>((resolve, reject) => {
      live.once('connect', () => resolve());
      live.once('connect_error', reject);
    });
    const socketClosed = new Promise<string>((resolve) => live.once('disconnect', resolve));

    const exited = new Promise<{ code: number | null; ms: number }>((resolve) => {
      const start = Date.now();
      child.once('exit', (code) => resolve({ code, ms: Date.now() - start }));
    });
    const sends = Array.from({ length: 30 }, (_, i) =>
      alice.post(url, { content: `m${i}`, clientId: `shutdown-${i}` }).then(
        (r) => r.status,
        () => 0,
      ),
    );
    setTimeout(() => child.kill('SIGTERM'), 15);
    const statuses = await Promise.all(sends);
    const { code, ms } = await exited;
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    // Sockets are told to go elsewhere (a transport close, so the client reconnects by itself).
    expect(await socketClosed).toBe('transport close');
    live.disconnect();

    child = await spawnApi(port);
    try {
      const stored = (await alice.get(`${url}?limit=100`)).body.messages as { clientId: string }[];
      for (const [i, status] of statuses.entries()) {
        if (status === 201) expect(stored.some((m) => m.clientId === `shutdown-${i}`)).toBe(true);
      }
      // The client retries whatever got no answer; nothing is stored twice.
      for (const [i, status] of statuses.entries()) {
        if (status !== 201)
          expect([200, 201]).toContain((await alice.post(url, { content: `m${i}`, clientId: `shutdown-${i}` })).status);
      }
      const after = (await alice.get(`${url}?limit=100`)).body.messages as { seq: number }[];
      expect(after.map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});
