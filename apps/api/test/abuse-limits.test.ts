// Issue 11, findings 7, 8, 10, 11 and 12 on one API: what is public, what is Secure, what is capped.
import { connect as connectTcp } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/observability/logger.ts';
import { startConversation } from './support/fixtures.ts';
import {
  apiForThisFile,
  Client,
  type ClientSocket,
  collect,
  connected,
  createTestDatabase,
  signUp,
  startServer,
  type TestServer,
  until,
} from './support/test-app.ts';

// The session check and the request timeout run fast here, so the tests need not wait a minute.
const file = apiForThisFile({ CREATE_RATE_LIMIT: 5 }, { sessionSweepMs: 200, requestTimeoutMs: 1_000 });
let server: TestServer;
beforeAll(() => {
  server = file.server;
});
const sockets: ClientSocket[] = [];
afterAll(() => {
  for (const s of sockets) s.disconnect();
});

function open(client: Client) {
  const socket = client.socket();
  sockets.push(socket);
  return socket;
}
const sql = async (text: string, params: unknown[] = []) => (await server.database.pool.query(text, params)).rows;
const disconnected = (socket: ClientSocket) => new Promise<string>((resolve) => socket.once('disconnect', resolve));

describe('finding 7: metrics', () => {
  it('serves /metrics only on its own listener, never on the public port', async () => {
    const client = new Client(server.url);
    for (const path of ['/metrics', '/metrics/', '/METRICS', '/Metrics', '/metrics?x=1']) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('parley_');
    }
    expect((await client.get('/healthz')).status).toBe(200);
    const metrics = await fetch(`${server.metricsUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('parley_http_request_duration_seconds');
    expect(new URL(server.metricsUrl).hostname).toBe('127.0.0.1');
  });
});

describe('finding 8: the Secure flag', () => {
  const register = (s: TestServer, headers: Record<string, string> = {}) =>
    new Client(s.url).post(
      '/api/auth/register',
      {
        email: `sec${Math.random()}@example.test`,
        nickname: `sec${Math.floor(Math.random() * 1e9)}`,
        password: 'correct horse battery',
      },
      headers,
    );

  it('does not follow an X-Forwarded-Proto that anyone can send', async () => {
    const res = await register(server, { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(201);
    expect(res.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('is Secure, with HSTS, when PUBLIC_URL is https, even with TLS ended before the proxy', async () => {
    const s = await file.replica({ PUBLIC_URL: 'https://parley.example' });
    const res = await register(s);
    expect(res.status).toBe(201);
    expect(res.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });

  it('is Secure when a trusted proxy says https, and only then', async () => {
    const s = await file.replica({ TRUST_PROXY: ['loopback'] });
    const https = await register(s, { 'x-forwarded-proto': 'https' });
    expect(https.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    expect(https.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    const http = await register(s);
    expect(http.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
    expect(http.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('finding 9: ended sessions on one API', () => {
  it('honours a session’s expiry on a cache hit', async () => {
    const client = await signUp(server, 'Expiring');
    // The session ends in 2 s; the next read puts it in the cache for longer than that.
    await sql(
      `update session set expire = now() + interval '2 seconds',
         sess = jsonb_set(sess::jsonb, '{cookie,expires}', to_jsonb(to_char((now() + interval '2 seconds') at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))::json
       where sess->'passport'->>'user' = $1`,
      [String(client.user.id)],
    );
    expect((await client.get('/api/auth/me')).status).toBe(200);
    await until(async () => {
      const [row] = await sql(`select expire < now() as gone from session where sess->'passport'->>'user' = $1`, [
        String(client.user.id),
      ]);
      return row.gone;
    });
    expect((await client.get('/api/auth/me')).status).toBe(401);
  });

  it('disconnects a socket whose session row is deleted, or expires, without a logout', async () => {
    const deleted = await signUp(server, 'Deleted');
    const expired = await signUp(server, 'Expired');
    const a = await connected(server, open(deleted));
    const b = await connected(server, open(expired));
    const aGone = disconnected(a);
    const bGone = disconnected(b);
    await sql(`delete from session where sess->'passport'->>'user' = $1`, [String(deleted.user.id)]);
    await sql(`update session set expire = now() - interval '1 second' where sess->'passport'->>'user' = $1`, [
      String(expired.user.id),
    ]);
    expect(await aGone).toBe('io server disconnect');
    expect(await bGone).toBe('io server disconnect');
  });
});

describe('finding 10: bad percent-encoding', () => {
  it('answers 400 validation_failed, never 500', async () => {
    const client = await signUp(server, 'Encoder');
    for (const path of ['/api/conversations/%E0', '/api/conversations/%ZZ', '/api/conversations/%E0/messages']) {
      const res = await client.get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code, path).toBe('validation_failed');
    }
  });

  it('logs what happened when a request fails, not "[object Object]"', async () => {
    // A database of its own, broken on purpose (a table gone), so the request fails inside a query.
    const broken = await createTestDatabase();
    const lines: string[] = [];
    const s = await startServer(
      broken.url,
      {},
      { logger: createLogger('info', { write: (l: string) => void lines.push(l) }) },
    );
    try {
      const client = await signUp(s, 'Logged');
      await s.database.pool.query('drop table conversation_members cascade');
      const res = await client.get('/api/conversations');
      expect(res.status).toBe(500);
      await until(() => lines.some((l) => l.includes('"statusCode":500')));
      const errors = lines.map((l) => JSON.parse(l)).filter((l) => l.err);
      expect(errors.length).toBeGreaterThan(0);
      for (const line of errors) {
        expect(JSON.stringify(line.err)).not.toContain('[object Object]');
        expect(line.err.message).toBeTruthy();
      }
      const failed = errors.find((l) => l.err.code === '42P01');
      expect(failed?.err).toMatchObject({ message: 'database query failed' });
      // Never the query's text or parameters (they may hold message text or password hashes).
      expect(JSON.stringify(failed)).not.toMatch(/select|params/i);
    } finally {
      await s.stop();
      await broken.drop();
    }
  });
});

describe('finding 11: caps', () => {
  it('refuses the 21st socket of one user with too_many_connections, and takes one again after a close', async () => {
    const client = await signUp(server, 'Many');
    const open20 = await Promise.all(Array.from({ length: 20 }, () => connected(server, open(client))));
    const extra = open(client);
    const refused = await new Promise<string>((resolve) => extra.once('connect_error', (err) => resolve(err.message)));
    expect(refused).toBe('too_many_connections');
    const gone = disconnected(open20[0]!);
    open20[0]!.disconnect();
    await gone;
    await until(async () => {
      const again = open(client);
      const ok = await new Promise<boolean>((resolve) => {
        again.once('connect', () => resolve(true));
        again.once('connect_error', () => resolve(false));
      });
      return ok;
    });
    for (const s of open20) s.disconnect();
  });

  it('throttles typing per user and conversation, not per socket', async () => {
    const typist = await signUp(server, 'Typist');
    const watcher = await signUp(server, 'Watcher');
    const c1 = await startConversation(typist, [watcher]);
    const c2 = await startConversation(typist, [watcher]);
    const watch = await connected(server, open(watcher));
    const typing = collect(watch, 'typing');
    const flood = await Promise.all(Array.from({ length: 20 }, () => connected(server, open(typist))));
    const started = Date.now();
    for (let round = 0; round < 5; round++) for (const s of flood) s.emit('typing', { conversationId: c1.id });
    // The barrier: a typing event in another conversation, sent after the flood from the last socket.
    flood[19]!.emit('typing', { conversationId: c2.id });
    await until(() => typing.some((t) => t.conversationId === c2.id));
    const windows = Math.floor((Date.now() - started) / 1_000) + 1;
    const relayed = typing.filter((t) => t.conversationId === c1.id).length;
    console.info(`finding 11: 20 sockets × 5 typing events → ${relayed} relayed`);
    expect(relayed).toBeGreaterThan(0);
    expect(relayed).toBeLessThanOrEqual(3 * windows);
    for (const s of flood) s.disconnect();
  });

  it('limits conversations created per user (CREATE_RATE_LIMIT): 8 in parallel → 5 × 201, 3 × 429', async () => {
    const spammer = await signUp(server, 'Spammer');
    const victim = await signUp(server, 'Victim');
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        spammer.post('/api/conversations', { title: `spam ${i}`, memberIds: [victim.user.id] }),
      ),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429, 429]);
    const limited = replies.find((r) => r.status === 429)!;
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await victim.get('/api/conversations')).body.conversations).toHaveLength(5);
  });

  it('cuts a request that trickles in with 408', async () => {
    const { port } = new URL(server.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connectTcp(Number(port), '127.0.0.1');
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      socket.write(
        'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"em',
      );
      // One byte every 200 ms: never idle long enough for an idle timeout, never done.
      const drip = setInterval(() => socket.writable && socket.write(' '), 200);
      socket.on('close', () => clearInterval(drip));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('refuses a Socket.IO message over 64 KiB by closing that connection', async () => {
    const client = await signUp(server, 'Big');
    const socket = await connected(server, open(client));
    const gone = disconnected(socket);
    socket.emit('typing', { conversationId: 1, padding: 'x'.repeat(70 * 1024) } as never);
    expect(await gone).toMatch(/transport (close|error)/);
  });
});

describe('finding 12: smaller things', () => {
  it('refuses unpaired surrogates in text fields instead of storing U+FFFD', async () => {
    const alice = await signUp(server, 'Surrogate');
    const bob = await signUp(server, 'Pair');
    const c = await startConversation(alice, [bob]);
    const lone = '{"content":"broken \\ud800 half"}';
    const res = await alice.post(`/api/conversations/${c.id}/messages`, lone);
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toHaveProperty('content');
    const nick = await alice.request('PATCH', '/api/auth/me', '{"nickname":"x\\udc00y"}');
    expect(nick.status).toBe(400);
    const ok = await alice.post(`/api/conversations/${c.id}/messages`, '{"content":"a pair \\ud83d\\ude00"}');
    expect(ok.status).toBe(201);
    expect(ok.body.message.content).toBe('a pair 😀');
  });

  it('refuses a body that is not valid UTF-8 whole, instead of storing U+FFFD', async () => {
    const alice = await signUp(server, 'Bytes');
    const bob = await signUp(server, 'Bits');
    const c = await startConversation(alice, [bob]);
    const body = Buffer.concat([Buffer.from('{"content":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]); // Latin-1 é
    const res = await fetch(`${server.url}/api/conversations/${c.id}/messages`, {
      method: 'POST',
      headers: { cookie: alice.cookie, 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    expect((await alice.get(`/api/conversations/${c.id}/messages`)).body.messages).toEqual([]);
  });

  it('ends every other session, sockets included, on an email change', async () => {
    const me = await signUp(server, 'Mover');
    const email = `${me.user.nickname.toLowerCase()}@example.test`;
    const laptop = new Client(server.url);
    await laptop.post('/api/auth/login', { email, password: 'correct horse battery' });
    const laptopSocket = await connected(server, open(laptop));
    const gone = disconnected(laptopSocket);
    const res = await me.patch('/api/auth/me', { email: `moved.${email}`, currentPassword: 'correct horse battery' });
    expect(res.status).toBe(200);
    expect(await gone).toBe('io server disconnect');
    expect((await laptop.get('/api/auth/me')).status).toBe(401);
    expect((await me.get('/api/auth/me')).status).toBe(200);
  });

  it('shows online only for people who share a conversation with the caller', async () => {
    const alice = await signUp(server, 'Seer');
    const friend = await signUp(server, 'SeerFriend');
    const stranger = await signUp(server, 'SeerStranger');
    const witness = await signUp(server, 'Witness');
    await startConversation(alice, [friend]);
    await startConversation(witness, [stranger]);
    await connected(server, open(friend));
    await connected(server, open(stranger));
    // Presence is recorded a moment after a socket joins its rooms: wait until both are online, as
    // seen by someone who shares a conversation with each, before asking as Alice.
    const onlineFor = async (viewer: typeof alice, q: string, id: number) =>
      ((await viewer.get(`/api/users?q=${q}`)).body.users as { id: number; online?: boolean }[]).find(
        (u) => u.id === id,
      )?.online === true;
    await until(() => onlineFor(alice, 'SeerFriend', friend.user.id));
    await until(() => onlineFor(witness, 'SeerStranger', stranger.user.id));
    const users = (await alice.get('/api/users?q=Seer')).body.users as { id: number; online?: boolean }[];
    expect(users.find((u) => u.id === friend.user.id)).toMatchObject({ online: true });
    const shown = users.find((u) => u.id === stranger.user.id)!;
    expect(shown).toBeDefined();
    expect(shown).not.toHaveProperty('online');
  });

  it('answers 404 to a send to a conversation you are not in, whatever its clientId', async () => {
    const alice = await signUp(server, 'Cid');
    const bob = await signUp(server, 'CidBob');
    const carol = await signUp(server, 'CidCarol');
    const mine = await startConversation(alice, [bob]);
    const theirs = await startConversation(bob, [carol]);
    const sent = await alice.post(`/api/conversations/${mine.id}/messages`, { content: 'private', clientId: 'cid-1' });
    expect(sent.status).toBe(201);
    const probe = await alice.post(`/api/conversations/${theirs.id}/messages`, { content: 'x', clientId: 'cid-1' });
    expect(probe.status).toBe(404);
    expect(probe.body.error.code).toBe('not_found');
    expect(JSON.stringify(probe.body)).not.toContain('private');
    // In another conversation of one's own, the same clientId is a new message.
    const other = await startConversation(alice, [carol]);
    const again = await alice.post(`/api/conversations/${other.id}/messages`, { content: 'new', clientId: 'cid-1' });
    expect(again.status).toBe(201);
    expect(again.body.message.content).toBe('new');
  });
});
