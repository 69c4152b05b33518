import type { PushPayload } from '@parley/contracts';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../src/redis.ts';
import { type FakePushService, startFakePushService } from './support/fake-push-service.ts';
import { aliceAndBob } from './support/fixtures.ts';
import { hasRedis, REDIS_URL } from './support/redis.ts';
import { apiForThisFile, Client, type ClientSocket, connected, type TestServer, until } from './support/test-app.ts';

if (!hasRedis) console.warn(`Skipping the multi-replica push tests: no Redis answers at ${REDIS_URL} (set REDIS_URL).`);

describe.skipIf(!hasRedis)('web push across two replicas behind one Redis', () => {
  const redisConnections: Awaited<ReturnType<typeof connectRedis>>[] = [];
  const sockets: ClientSocket[] = [];
  const prefix = `parley-test-push-${process.pid}-${Date.now()}`;
  let push: FakePushService;

  afterAll(async () => {
    const client = redisConnections[0]?.client;
    if (client) for await (const key of client.scanIterator({ MATCH: `${prefix}:*` })) await client.del(key);
    for (const r of redisConnections) await r.quit();
  });
  const file = apiForThisFile({}, async () => {
    const redis = await connectRedis(REDIS_URL, pino({ level: 'silent' }), prefix);
    redisConnections.push(redis);
    return { redis, pushCa: push?.ca };
  });
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    push = await startFakePushService();
    a = await file.replica({ PUSH_ENDPOINT_ALLOW: push.host });
    b = await file.replica({ PUSH_ENDPOINT_ALLOW: push.host });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await push?.stop();
  });

  it('holds back the push while a tab on the other replica is looked at, and pushes once it is not', async () => {
    const { alice, bob, url } = await aliceAndBob(a);
    const phone = push.subscription();
    expect((await bob.post('/api/push/subscriptions', phone)).status).toBe(201);

    // Bob's tab is connected to replica B; Alice posts to replica A.
    const onB = new Client(b.url);
    onB.cookie = bob.cookie;
    const tab = await connected(b, onB.socket());
    sockets.push(tab);
    tab.emit('attention', { visible: true });
    await until(async () => (await a.app.push.visibleAmong([bob.user.id])).has(bob.user.id));

    await alice.post(`${url}/messages`, { content: 'Bob looks, on B' });
    await a.app.push.idle();
    expect(push.pushesTo(phone.endpoint)).toEqual([]);

    tab.emit('attention', { visible: false });
    await until(async () => !(await a.app.push.visibleAmong([bob.user.id])).has(bob.user.id));
    const sent = await alice.post(`${url}/messages`, { content: 'Bob looks away' });
    await a.app.push.idle();
    expect(push.pushesTo(phone.endpoint).map((p) => (p.payload as PushPayload).messageId)).toEqual([
      sent.body.message.id,
    ]);
    expect(push.errors).toEqual([]);
  });

  it('signs pushes from both replicas with the one key pair kept in the database', async () => {
    const { alice, bob, url } = await aliceAndBob(a);
    const phone = push.subscription();
    await bob.post('/api/push/subscriptions', phone);
    await alice.post(`${url}/messages`, { content: 'via A' });
    const viaB = new Client(b.url);
    viaB.cookie = alice.cookie;
    await viaB.post(`${url}/messages`, { content: 'via B' });
    await a.app.push.idle();
    await b.app.push.idle();
    const keys = push.pushesTo(phone.endpoint).map((p) => p.vapid.publicKey);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1);
  });
});
