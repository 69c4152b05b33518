import pino from 'pino';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../src/redis.ts';
import {
  Client,
  type ClientSocket,
  collect,
  connected,
  createTestDatabase,
  signUp,
  sleep,
  startServer,
  type TestServer,
  until,
} from './support/test-app.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAnswers(): Promise<boolean> {
  const probe = createClient({ url: REDIS_URL, socket: { connectTimeout: 500, reconnectStrategy: false } });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    await probe.quit();
    return true;
  } catch {
    return false;
  }
}

const hasRedis = await redisAnswers();
if (!hasRedis) console.warn(`Skipping the multi-replica tests: no Redis answers at ${REDIS_URL} (set REDIS_URL).`);

const GRACE_MS = 400;

describe.skipIf(!hasRedis)('two API replicas behind one Redis', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: TestServer;
  let b: TestServer;
  const redisConnections: Awaited<ReturnType<typeof connectRedis>>[] = [];
  const sockets: ClientSocket[] = [];

  const prefix = `parley-test-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    const replica = async () => {
      const redis = await connectRedis(REDIS_URL, pino({ level: 'silent' }), prefix);
      redisConnections.push(redis);
      return startServer(db.url, {}, { redis, presenceGraceMs: GRACE_MS });
    };
    a = await replica();
    b = await replica();
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await a?.stop();
    await b?.stop();
    // Leave nothing behind in the machine's Redis.
    const client = redisConnections[0]?.client;
    if (client) for await (const key of client.scanIterator({ MATCH: `${prefix}:*` })) await client.del(key);
    for (const r of redisConnections) await r.quit();
    await db?.drop();
  });

  async function open(server: TestServer, client: Client) {
    const socket = client.socket();
    sockets.push(socket);
    return connected(server, socket);
  }
  /** The same person's session, talking to another replica. */
  function via(server: TestServer, client: Client): Client {
    client.baseUrl = server.url;
    return client;
  }

  it('delivers a message posted to one replica to sockets on both, exactly once each', async () => {
    const alice = await signUp(a, 'Alice');
    const bob = await signUp(a, 'Bob');
    const aliceSocket = await open(a, alice);
    const bobSocket = await open(b, via(b, bob));
    const created = collect(bobSocket, 'conversation:new');
    const c = (await alice.post('/api/conversations', { memberIds: [bob.user.id] })).body.conversation;
    await until(() => created.length === 1);

    // The room was joined on replica B by replica A's request: B's socket hears the conversation.
    const toAlice = collect(aliceSocket, 'message:new');
    const toBob = collect(bobSocket, 'message:new');
    await alice.post(`/api/conversations/${c.id}/messages`, { content: 'from A' });
    await bob.post(`/api/conversations/${c.id}/messages`, { content: 'from B' });
    await until(() => toAlice.length === 2 && toBob.length === 2);
    await sleep(150);
    expect(toAlice.map((m) => m.content)).toEqual(toBob.map((m) => m.content));
    expect(toBob).toHaveLength(2);
  });

  it('keeps presence across replicas, with the grace period against flicker', async () => {
    const alice = await signUp(a, 'Alice');
    const bob = await signUp(a, 'Bob');
    await alice.post('/api/conversations', { memberIds: [bob.user.id] });
    const watcher = await open(a, alice);
    const events = collect(watcher, 'presence');
    const online = async () => (await alice.get(`/api/users?q=${bob.user.nickname}`)).body.users[0].online;

    const onB = await open(b, via(b, bob));
    await until(() => events.length === 1);
    expect(events[0]).toEqual({ userId: bob.user.id, online: true });
    expect(await online()).toBe(true);

    // A reload that lands on the other replica: no offline, no second online.
    onB.disconnect();
    const onA = await open(a, via(a, bob));
    await sleep(GRACE_MS * 3);
    expect(events).toHaveLength(1);
    expect(await online()).toBe(true);

    onA.disconnect();
    await until(() => events.length === 2);
    expect(events[1]).toEqual({ userId: bob.user.id, online: false });
    expect(await online()).toBe(false);
  });

  it('disconnects a session’s sockets on every replica at logout', async () => {
    const carol = await signUp(a, 'Carol');
    const onB = await open(b, carol);
    const stolen = new Client(b.url);
    stolen.cookie = carol.cookie;
    // Replica B has read (and cached) the session before the logout happens on A.
    expect((await stolen.get('/api/auth/me')).status).toBe(200);
    const dropped = new Promise<string>((resolve) => onB.once('disconnect', resolve));
    expect((await via(a, carol).post('/api/auth/logout')).status).toBe(204);
    expect(await dropped).toBe('io server disconnect');
    // B forgets it at once (pub/sub), not when its few-second cache would have expired.
    await until(async () => (await stolen.get('/api/auth/me')).status === 401, 500);
  });
});
