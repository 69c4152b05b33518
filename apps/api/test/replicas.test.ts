import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../src/redis.ts';
import { manualClock } from './support/clock.ts';
import { hasRedis, REDIS_URL } from './support/redis.ts';
import {
  apiForThisFile,
  Client,
  type ClientSocket,
  collect,
  connected,
  gone,
  signUp,
  type TestServer,
  until,
} from './support/test-app.ts';

if (!hasRedis) console.warn(`Skipping the multi-replica tests: no Redis answers at ${REDIS_URL} (set REDIS_URL).`);

const GRACE_MS = 400;

describe.skipIf(!hasRedis)('two API replicas behind one Redis', () => {
  const redisConnections: Awaited<ReturnType<typeof connectRedis>>[] = [];
  const sockets: ClientSocket[] = [];
  const prefix = `parley-test-${process.pid}-${Date.now()}`;
  // One clock for both replicas, as real ones share the time of day; it moves only when a test moves it.
  const clock = manualClock();

  // Registered before the APIs, so it runs after they have stopped (after-hooks run in reverse).
  afterAll(async () => {
    // Leave nothing behind in the machine's Redis.
    const client = redisConnections[0]?.client;
    if (client) for await (const key of client.scanIterator({ MATCH: `${prefix}:*` })) await client.del(key);
    for (const r of redisConnections) await r.quit();
  });
  const file = apiForThisFile({}, async () => {
    const redis = await connectRedis(REDIS_URL, pino({ level: 'silent' }), prefix);
    redisConnections.push(redis);
    return { redis, presenceGraceMs: GRACE_MS, clock };
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
    // Barrier: a third message; once both have it, any duplicate of the first two would be there too.
    await alice.post(`/api/conversations/${c.id}/messages`, { content: 'last' });
    await until(() => toAlice.length >= 3 && toBob.length >= 3);
    // Each exactly once (the two first may arrive in either order where they cross replicas).
    for (const got of [toAlice, toBob]) expect(got.map((m) => m.content).sort()).toEqual(['from A', 'from B', 'last']);
  });

  it('numbers the changes made through both replicas in one gapless sequence, each heard once on both', async () => {
    const alice = await signUp(a, 'Alice');
    const bob = await signUp(a, 'Bob');
    const c = (await alice.post('/api/conversations', { memberIds: [bob.user.id] })).body.conversation;
    const url = `/api/conversations/${c.id}`;
    const [aliceSocket, bobSocket] = [await open(a, alice), await open(b, via(b, bob))];
    const heard = [aliceSocket, bobSocket].map((socket) => {
      const seqs: number[] = [];
      for (const event of ['message:new', 'message:updated', 'message:seen', 'conversation:updated'] as const) {
        socket.on(event, (payload: { seq: number }) => seqs.push(payload.seq));
      }
      return seqs;
    });
    const first = (await alice.post(`${url}/messages`, { content: 'via A' })).body.message;
    // Both replicas change the conversation at once: A's sends and reactions, B's edits and receipts.
    await Promise.all([
      (async () => {
        for (let i = 0; i < 5; i++) await alice.post(`${url}/messages`, { content: `A${i}` });
        await alice.put(`${url}/messages/${first.id}/reactions/${encodeURIComponent('👍')}`);
      })(),
      (async () => {
        const mine = (await bob.post(`${url}/messages`, { content: 'via B' })).body.message;
        for (let i = 0; i < 4; i++) await bob.patch(`${url}/messages/${mine.id}`, { content: `B edit ${i}` });
        await bob.post(`${url}/seen`, { upToMessageId: first.id });
      })(),
    ]);
    const { lastSeq } = (await bob.get(`${url}/events?after=0`)).body;
    expect(lastSeq).toBe(13);
    // Barrier: one more change, heard last on both; a duplicate of an earlier one would be there by then.
    await alice.post(`${url}/messages`, { content: 'last' });
    await until(() => heard.every((seqs) => seqs.includes(lastSeq + 1)));
    for (const seqs of heard) {
      expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: lastSeq + 1 }, (_, i) => i + 1));
    }
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
    const liveSockets = () => redisConnections[0]!.client.zCard(`${prefix}:presence:sockets:${bob.user.id}`);
    const leaving = onB.id!;
    onB.disconnect();
    await gone(b, leaving);
    await until(() => clock.pending() === 1); // B has started the grace period
    const onA = await open(a, via(a, bob));
    await until(async () => (await liveSockets()) === 2); // A has counted the new socket
    clock.advance(GRACE_MS * 3);
    await until(async () => (await liveSockets()) === 1); // B has settled: the old socket is gone
    expect(await online()).toBe(true);

    const last = onA.id!;
    onA.disconnect();
    await gone(a, last);
    await until(() => {
      clock.advance(GRACE_MS);
      return events.length >= 2;
    });
    // The offline event is the barrier: anything the reload had announced on this socket came first.
    expect(events).toEqual([
      { userId: bob.user.id, online: true },
      { userId: bob.user.id, online: false },
    ]);
    expect(await online()).toBe(false);
  });

  it('joins an added member’s socket on the other replica to the room before the answer, and removes a removed one likewise', async () => {
    const [alice, bob, carol, dave] = await Promise.all(['Alice', 'Bob', 'Carol', 'Dave'].map((n) => signUp(a, n)));
    const c = (await alice!.post('/api/conversations', { memberIds: [bob!.user.id, carol!.user.id], title: 'Across' }))
      .body.conversation;
    const url = `/api/conversations/${c.id}`;
    const room = `conversation:${c.id}`;
    // Carol and Dave sit on replica B; Alice acts through replica A.
    const carolOnB = await open(b, via(b, carol!));
    const daveOnB = await open(b, via(b, dave!));
    await until(async () => (await b.app.io.local.in(room).fetchSockets()).length === 1);
    const inRoomOnB = async () => (await b.app.io.local.in(room).fetchSockets()).map((s) => s.id);

    const daveTold = collect(daveOnB, 'conversation:new');
    const daveHears = collect(daveOnB, 'message:new');
    let started = performance.now();
    expect((await alice!.post(`${url}/members`, { userIds: [dave!.user.id] })).status).toBe(200);
    const addMs = performance.now() - started;
    // In the room on B by the time A answers: nothing to wait for.
    expect(await inRoomOnB()).toContain(daveOnB.id);
    await until(() => daveTold.length === 1 && daveHears.length === 1);
    expect(daveHears[0]!.system).toMatchObject({ action: 'members_added' });

    const carolRemoved = collect(carolOnB, 'conversation:removed');
    const carolHears = collect(carolOnB, 'message:new');
    const carolUpdated = collect(carolOnB, 'conversation:updated');
    started = performance.now();
    expect((await via(a, alice!).delete(`${url}/members/${carol!.user.id}`)).status).toBe(204);
    const removeMs = performance.now() - started;
    // Gone from the room on B by the time A answers.
    expect(await inRoomOnB()).not.toContain(carolOnB.id);
    await until(() => carolRemoved.length === 1);
    const toldMs = performance.now() - started;
    // Messages right after, through both replicas: Carol hears none of them.
    await alice!.post(`${url}/messages`, { content: 'via A, after' });
    await via(b, bob!).post(`${url}/messages`, { content: 'via B, after' });
    // Barrier: a conversation with Carol made after those, told to her socket on B.
    const barrier = new Promise((resolve) => carolOnB.once('conversation:new', resolve));
    await via(a, alice!).post('/api/conversations', { memberIds: [carol!.user.id], title: 'Barrier' });
    await barrier;
    expect(carolHears).toEqual([]);
    expect(carolUpdated).toEqual([]);
    expect(carolRemoved).toEqual([{ conversationId: c.id }]);
    // What the barrier waits for: a bare socketsLeave published by A, applied by B some time later.
    started = performance.now();
    a.app.io.in(`user:${dave!.user.id}`).socketsLeave(room);
    await until(async () => !(await inRoomOnB()).includes(daveOnB.id!), 2_000);
    const bareLeaveMs = performance.now() - started;
    console.info(
      `members across replicas: add answered in ${addMs.toFixed(1)} ms and removal in ${removeMs.toFixed(1)} ms, ` +
        `each with the socket on the other replica already in/out of the room; conversation:removed arrived ${toldMs.toFixed(1)} ms after the removal started; ` +
        `a bare socketsLeave reaches the other replica in ${bareLeaveMs.toFixed(1)} ms (polled every 10 ms)`,
    );
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
