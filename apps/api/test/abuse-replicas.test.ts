// Issue 11 across two API replicas on one Redis: findings 1, 9 and 11, where a per-process answer
// would let an attacker (or an ended session) through the other replica.
import net from 'node:net';
import pino from 'pino';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../src/redis.ts';
import { startConversation } from './support/fixtures.ts';
import { hasRedis, REDIS_URL } from './support/redis.ts';
import {
  apiForThisFile,
  Client,
  type ClientSocket,
  collect,
  connected,
  signUp,
  type TestServer,
  until,
} from './support/test-app.ts';

if (!hasRedis) console.warn(`Skipping the two-replica abuse tests: no Redis answers at ${REDIS_URL} (set REDIS_URL).`);

/**
 * Redis 40 ms away, as it is across a network: everything Redis sends reaches the replica that late.
 * That is when a logout that answers before its eviction is published lets the next request to the
 * other replica through (the issue saw it 3 times in 6).
 */
async function distantRedis(delayMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(REDIS_URL);
  const links = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    links.add(client).add(upstream);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => setTimeout(() => client.writable && client.write(chunk), delayMs));
    // What Redis said before it closed still arrives, as late as the rest.
    const upstreamGone = () => setTimeout(() => client.destroy(), delayMs + 10);
    upstream.on('error', upstreamGone).on('close', upstreamGone);
    client.on('error', () => upstream.destroy()).on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of links) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe.skipIf(!hasRedis)('two replicas', () => {
  const redisConnections: Awaited<ReturnType<typeof connectRedis>>[] = [];
  const sockets: ClientSocket[] = [];
  const prefix = `parley-test-abuse-${process.pid}-${Date.now()}`;

  let redisAway: Awaited<ReturnType<typeof distantRedis>>;
  beforeAll(async () => {
    redisAway = await distantRedis(40);
  });
  // Registered before the APIs, so it runs after they have stopped (after-hooks run in reverse).
  afterAll(async () => {
    for (const r of redisConnections) await r.quit();
    await redisAway?.close();
    // Leave nothing behind in the machine's Redis.
    const cleaner = createClient({ url: REDIS_URL });
    await cleaner.connect();
    for await (const key of cleaner.scanIterator({ MATCH: `${prefix}:*` })) await cleaner.del(key);
    await cleaner.quit();
  });
  const file = apiForThisFile({ LOGIN_RATE_LIMIT: 10 }, async () => {
    const redis = await connectRedis(redisAway.url, pino({ level: 'silent' }), prefix);
    redisConnections.push(redis);
    return { redis, sessionSweepMs: 200 };
  });
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    a = file.server;
    b = await file.replica();
  });
  afterAll(() => {
    for (const s of sockets) s.disconnect();
  });

  const open = (client: Client, server: TestServer) => {
    const socket = new Client(server.url);
    socket.cookie = client.cookie;
    const s = socket.socket();
    sockets.push(s);
    return s;
  };

  it('finding 1: 40 parallel guesses split over both replicas get 10 checks between them', async () => {
    const victim = await signUp(a, 'Split');
    const email = `${victim.user.nickname.toLowerCase()}@example.test`;
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        new Client(i % 2 ? a.url : b.url).post('/api/auth/login', {
          email,
          password: i === 37 ? 'correct horse battery' : `guess ${i}`,
        }),
      ),
    );
    const statuses = replies.map((r) => r.status);
    console.info(
      `finding 1 (two replicas): 40 parallel guesses → ${statuses.filter((s) => s !== 429).length} checked, ${statuses.filter((s) => s === 429).length} × 429`,
    );
    expect(statuses.filter((s) => s !== 429)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
  });

  it('finding 9: the other replica refuses the session as soon as logout has answered, six times out of six', async () => {
    for (let trial = 0; trial < 6; trial++) {
      const person = await signUp(a, 'Leaving');
      const onB = new Client(b.url);
      onB.cookie = person.cookie;
      // Replica B has read (and cached) the session.
      expect((await onB.get('/api/auth/me')).status).toBe(200);
      expect((await person.post('/api/auth/logout')).status).toBe(204);
      expect((await onB.get('/api/auth/me')).status, `trial ${trial}`).toBe(401);
    }
  });

  it('finding 9: a socket on the other replica goes when its session row is deleted', async () => {
    const person = await signUp(a, 'Swept');
    const socket = await connected(b, open(person, b));
    const gone = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    await a.database.pool.query(`delete from session where sess->'passport'->>'user' = $1`, [String(person.user.id)]);
    expect(await gone).toBe('io server disconnect');
  });

  it('finding 11: 20 sockets per user across both replicas, the 21st refused on either', async () => {
    const person = await signUp(a, 'Spread');
    await Promise.all(Array.from({ length: 20 }, (_, i) => connected(i % 2 ? a : b, open(person, i % 2 ? a : b))));
    for (const server of [a, b]) {
      const extra = open(person, server);
      const answer = await new Promise<string>((resolve) => {
        extra.once('connect', () => resolve('connected'));
        extra.once('connect_error', (err) => resolve(err.message));
      });
      expect(answer).toBe('too_many_connections');
    }
  });

  it('finding 11: typing from sockets on both replicas is throttled as one, per user and conversation', async () => {
    const typist = await signUp(a, 'TypesEverywhere');
    const watcher = await signUp(a, 'WatchesTyping');
    // Two conversations of one pair: titled, so they are groups (untitled, it would be one direct conversation).
    const c1 = await startConversation(typist, [watcher], 'One');
    const c2 = await startConversation(typist, [watcher], 'Two');
    const watch = await connected(a, open(watcher, a));
    const typing = collect(watch, 'typing');
    const flood = await Promise.all(
      Array.from({ length: 10 }, (_, i) => connected(i % 2 ? a : b, open(typist, i % 2 ? a : b))),
    );
    const started = Date.now();
    for (let round = 0; round < 5; round++) for (const s of flood) s.emit('typing', { conversationId: c1.id });
    // The barrier: typing in another conversation from each replica, sent after the flood.
    flood[8]!.emit('typing', { conversationId: c2.id });
    flood[9]!.emit('typing', { conversationId: c2.id });
    await until(() => typing.filter((t) => t.conversationId === c2.id).length === 2);
    const windows = Math.floor((Date.now() - started) / 1_000) + 1;
    const relayed = typing.filter((t) => t.conversationId === c1.id).length;
    console.info(`finding 11 (two replicas): 10 sockets × 5 typing events over both replicas → ${relayed} relayed`);
    expect(relayed).toBeGreaterThan(0);
    expect(relayed).toBeLessThanOrEqual(3 * windows);
  });
});
