import type { PushPayload } from '@parley/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePushService, type FakeSubscription, startFakePushService } from './support/fake-push-service.ts';
import { aliceAndBob } from './support/fixtures.ts';
import { apiForThisFile, Client, type ClientSocket, connected, gone, signUp, until } from './support/test-app.ts';

let push: FakePushService;
// Every app of this file trusts the fake push service's certificate (the file's first app starts before it exists).
const api = apiForThisFile({}, () => ({ pushCa: push?.ca }));
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  push = await startFakePushService();
}, 60_000);
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await push?.stop();
});

/** An API that may reach the fake push service on 127.0.0.1 (PUSH_ENDPOINT_ALLOW, ADR 031: tests only). */
async function server() {
  return api.replica({ PUSH_ENDPOINT_ALLOW: push.host });
}

async function subscribe(client: Client, subscription: FakeSubscription) {
  const res = await client.post('/api/push/subscriptions', subscription);
  expect(res.status).toBe(201);
}

async function subscriptionRows(): Promise<{ endpoint: string; session_id: string }[]> {
  const db = new pg.Client({ connectionString: api.db.url });
  await db.connect();
  try {
    return (await db.query('select endpoint, session_id from push_subscriptions order by id')).rows;
  } finally {
    await db.end();
  }
}

describe('web push', () => {
  it('answers one VAPID public key, the same on every replica, generated once and kept', async () => {
    const one = await server();
    const two = await server();
    const alice = await signUp(one, 'Alice');
    const onTwo = new Client(two.url);
    onTwo.cookie = alice.cookie;
    // Both replicas find no pair yet and each offers its own: one is kept, both answer it.
    const [first, second] = await Promise.all([alice.get('/api/push/key'), onTwo.get('/api/push/key')]);
    expect(first.status).toBe(200);
    expect(first.body.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    expect(second.body).toEqual(first.body);
    const restarted = await server();
    const onThree = new Client(restarted.url);
    onThree.cookie = alice.cookie;
    expect((await onThree.get('/api/push/key')).body).toEqual(first.body);
    expect((await new Client(one.url).get('/api/push/key')).status).toBe(401);
  });

  it('takes a subscription once per session (201, then 200), refuses a bad one and forgets it on DELETE', async () => {
    const app = await server();
    const bob = await signUp(app, 'Bob');
    const subscription = push.subscription();
    expect((await bob.post('/api/push/subscriptions', subscription)).status).toBe(201);
    expect((await bob.post('/api/push/subscriptions', subscription)).status).toBe(200);

    const plain = await bob.post('/api/push/subscriptions', { ...subscription, endpoint: 'http://push.example/x' });
    expect(plain.status).toBe(400);
    expect(plain.body.error.code).toBe('validation_failed');
    expect(plain.body.error.fields).toHaveProperty('endpoint');
    const noKeys = await bob.post('/api/push/subscriptions', { endpoint: subscription.endpoint });
    expect(noKeys.status).toBe(400);
    expect(noKeys.body.error.fields).toHaveProperty('keys');

    // Another session cannot remove it; its own can, twice.
    const other = await signUp(app, 'Mallory');
    expect((await other.request('DELETE', '/api/push/subscriptions', { endpoint: subscription.endpoint })).status).toBe(
      204,
    );
    expect((await subscriptionRows()).map((r) => r.endpoint)).toContain(subscription.endpoint);
    const gone204 = await bob.request('DELETE', '/api/push/subscriptions', { endpoint: subscription.endpoint });
    expect(gone204.status).toBe(204);
    expect((await bob.request('DELETE', '/api/push/subscriptions', { endpoint: subscription.endpoint })).status).toBe(
      204,
    );
    expect((await subscriptionRows()).map((r) => r.endpoint)).not.toContain(subscription.endpoint);
    expect((await new Client(app.url).post('/api/push/subscriptions', subscription)).status).toBe(401);
    const signedOut = new Client(app.url);
    expect(
      (await signedOut.request('DELETE', '/api/push/subscriptions', { endpoint: subscription.endpoint })).status,
    ).toBe(401);
  });

  it('pushes a new message to every other member, encrypted, with TTL, Topic, Urgency and a VAPID signature', async () => {
    const app = await server();
    const { alice, bob, id, url, conversation } = await aliceAndBob(app);
    const bobs = push.subscription();
    const alices = push.subscription();
    await subscribe(bob, bobs);
    await subscribe(alice, alices);
    const content = `**Lunch** at *noon*? ${'x'.repeat(300)}`;
    const sent = await alice.post(`${url}/messages`, { content });
    expect(sent.status).toBe(201);
    await app.app.push.idle();

    expect(push.errors).toEqual([]);
    expect(push.pushesTo(alices.endpoint)).toEqual([]); // the sender is not pushed
    const [received, ...more] = push.pushesTo(bobs.endpoint);
    expect(more).toEqual([]);
    const payload = received!.payload as PushPayload;
    expect(payload).toEqual({
      conversationId: id,
      messageId: sent.body.message.id,
      title: `${alice.user.nickname} in ${conversation.title}`,
      body: expect.stringMatching(/^Lunch at noon\? x+…$/),
      url: `/c/${id}`,
    });
    expect(payload.body.length).toBe(200);
    expect(received!.headers).toEqual({
      ttl: '86400',
      topic: `conversation-${id}`,
      urgency: 'normal',
      'content-encoding': 'aes128gcm',
    });
    expect(received!.headers.topic!.length).toBeLessThanOrEqual(32);
    const { publicKey } = (await bob.get('/api/push/key')).body;
    expect(received!.vapid.publicKey).toBe(publicKey);
    expect(received!.vapid.claims.aud).toBe(new URL(bobs.endpoint).origin);
    expect(received!.vapid.claims.sub).toMatch(/^(mailto:|https:)/);
    expect(received!.vapid.claims.exp * 1000).toBeGreaterThan(Date.now());
  });

  it('pushes nobody who has a visible tab on any device; a tab that never said counts as not visible', async () => {
    const app = await server();
    const { alice, bob, url } = await aliceAndBob(app);
    const phone = push.subscription();
    await subscribe(bob, phone);

    // Bob's laptop (another session) has a tab open and says it is looked at.
    const laptop = new Client(app.url);
    expect(
      (await laptop.post('/api/auth/login', { email: bob.user.email, password: 'correct horse battery' })).status,
    ).toBe(200);
    const tab = await connected(app, laptop.socket());
    sockets.push(tab);
    const silent = await connected(app, bob.socket()); // connected, never says: not visible
    sockets.push(silent);
    tab.emit('attention', { visible: true });
    await until(async () => (await app.app.push.visibleAmong([bob.user.id])).has(bob.user.id));

    await alice.post(`${url}/messages`, { content: 'while Bob looks' });
    await app.app.push.idle();
    expect(push.pushesTo(phone.endpoint)).toEqual([]);

    tab.emit('attention', { visible: false });
    await until(async () => !(await app.app.push.visibleAmong([bob.user.id])).has(bob.user.id));
    const later = await alice.post(`${url}/messages`, { content: 'once Bob looks away' });
    await app.app.push.idle();
    expect(push.pushesTo(phone.endpoint).map((p) => (p.payload as PushPayload).messageId)).toEqual([
      later.body.message.id,
    ]);

    // A visible tab that closes stops counting.
    tab.emit('attention', { visible: true });
    await until(async () => (await app.app.push.visibleAmong([bob.user.id])).has(bob.user.id));
    const tabId = tab.id!;
    tab.disconnect();
    await gone(app, tabId);
    await until(async () => !(await app.app.push.visibleAmong([bob.user.id])).has(bob.user.id));
    await alice.post(`${url}/messages`, { content: 'after the tab closed' });
    await app.app.push.idle();
    expect(push.pushesTo(phone.endpoint)).toHaveLength(2);
  });

  it('deletes a subscription the push service answers 404 or 410 for, and pushes it no more', async () => {
    const app = await server();
    const { alice, bob, url } = await aliceAndBob(app);
    const expired = push.subscription({ status: 410 });
    const unknown = push.subscription({ status: 404 });
    const failing = push.subscription({ status: 500 });
    for (const s of [expired, unknown, failing]) await subscribe(bob, s);
    await alice.post(`${url}/messages`, { content: 'one' });
    await app.app.push.idle();
    const endpoints = (await subscriptionRows()).map((r) => r.endpoint);
    expect(endpoints).not.toContain(expired.endpoint);
    expect(endpoints).not.toContain(unknown.endpoint);
    expect(endpoints).toContain(failing.endpoint); // a 500 is the service's trouble, not the subscription's

    await alice.post(`${url}/messages`, { content: 'two' });
    await app.app.push.idle();
    expect(push.pushesTo(expired.endpoint)).toHaveLength(1);
    expect(push.pushesTo(unknown.endpoint)).toHaveLength(1);
    expect(push.pushesTo(failing.endpoint)).toHaveLength(2);
  });

  it('answers a send while the push service stalls for 10 s, and a burst shares a few connections', async () => {
    const app = await server();
    const { alice, bob, url } = await aliceAndBob(app);
    const stalled = push.subscription({ stallMs: 10_000 });
    await subscribe(bob, stalled);
    const connectionsBefore = push.connections;

    const sent = await alice.post(`${url}/messages`, { content: 'the push service is stuck' });
    expect(sent.status).toBe(201);
    // The push did reach the service and is still held there, unanswered, after the send was answered:
    // the send never waited for it (an order, not a time).
    await until(() => push.pushesTo(stalled.endpoint).length === 1);
    expect(push.heldFor(stalled.endpoint)).toBe(1);

    // Thirty more while it stalls: every send still answers, and pushes wait for one of a few connections.
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) => alice.post(`${url}/messages`, { content: `burst ${i}` })),
    );
    expect(burst.map((r) => r.status)).toEqual(Array(30).fill(201));
    await until(() => push.pushesTo(stalled.endpoint).length >= 8);
    expect(push.connections - connectionsBefore).toBeLessThanOrEqual(8);

    push.releaseStalled();
    await until(() => {
      push.releaseStalled(); // each answer lets a waiting push through, which stalls in turn
      return push.pushesTo(stalled.endpoint).length === 31;
    }, 10_000);
    await app.app.push.idle();
    expect(push.connections - connectionsBefore).toBeLessThanOrEqual(8);
  });

  it("deletes a session's subscriptions when it signs out, and the other sessions' when the password changes", async () => {
    const app = await server();
    const { alice, bob, url } = await aliceAndBob(app);
    const signIn = async () => {
      const client = new Client(app.url);
      await client.post('/api/auth/login', { email: bob.user.email, password: 'correct horse battery' });
      return client;
    };
    const laptop = await signIn();
    const phone = await signIn();
    const [onBob, onLaptop, onPhone] = [push.subscription(), push.subscription(), push.subscription()];
    await subscribe(bob, onBob);
    await subscribe(laptop, onLaptop);
    await subscribe(phone, onPhone);

    expect((await laptop.post('/api/auth/logout')).status).toBe(204);
    let endpoints = (await subscriptionRows()).map((r) => r.endpoint);
    expect(endpoints).not.toContain(onLaptop.endpoint);
    expect(endpoints).toEqual(expect.arrayContaining([onBob.endpoint, onPhone.endpoint]));

    await alice.post(`${url}/messages`, { content: 'after the laptop signed out' });
    await app.app.push.idle();
    expect(push.pushesTo(onLaptop.endpoint)).toEqual([]);
    expect(push.pushesTo(onPhone.endpoint)).toHaveLength(1);

    // A new password ends every other session of Bob, and their subscriptions with them.
    const changed = await bob.patch('/api/auth/me', {
      newPassword: 'another horse battery',
      currentPassword: 'correct horse battery',
    });
    expect(changed.status).toBe(200);
    endpoints = (await subscriptionRows()).map((r) => r.endpoint);
    expect(endpoints).not.toContain(onPhone.endpoint);
    expect(endpoints).toContain(onBob.endpoint);
  });
});
