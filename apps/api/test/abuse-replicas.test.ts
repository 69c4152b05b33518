// Issue 11 across two API replicas on one Redis: findings 1, 9 and 11, where a per-process answer
// would let an attacker (or an ended session) through the other replica.
import pino from 'pino';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../src/redis.ts';
import { apiForThisFile, Client, type ClientSocket, connected, signUp, type TestServer } from './support/test-app.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
async function redisAnswers(): Promise<boolean> {
  const probe = createClient({ url: REDIS_URL, socket: { connectTimeout: 500, reconnectStrategy: false } });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.quit();
    return true;
  } catch {
    return false;
  }
}
const hasRedis = await redisAnswers();
if (!hasRedis) console.warn(`Skipping the two-replica abuse tests: no Redis answers at ${REDIS_URL} (set REDIS_URL).`);

describe.skipIf(!hasRedis)('two replicas', () => {
  const redisConnections: Awaited<ReturnType<typeof connectRedis>>[] = [];
  const sockets: ClientSocket[] = [];
  const prefix = `parley-test-abuse-${process.pid}-${Date.now()}`;

  // Registered before the APIs, so it runs after they have stopped (after-hooks run in reverse).
  afterAll(async () => {
    // Leave nothing behind in the machine's Redis.
    const client = redisConnections[0]?.client;
    if (client) for await (const key of client.scanIterator({ MATCH: `${prefix}:*` })) await client.del(key);
    for (const r of redisConnections) await r.quit();
  });
  const file = apiForThisFile({ LOGIN_RATE_LIMIT: 10 }, async () => {
    const redis = await connectRedis(REDIS_URL, pino({ level: 'silent' }), prefix);
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
});
