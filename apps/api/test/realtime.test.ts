import type { Message } from '@parley/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import {
  apiForThisFile,
  Client,
  type ClientSocket,
  collect,
  connected,
  signUp,
  sleep,
  until,
} from './support/test-app.ts';

const GRACE_MS = 400;
const sockets: ClientSocket[] = [];

const file = apiForThisFile({}, { presenceGraceMs: GRACE_MS });
afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});

async function open(client: Client): Promise<ClientSocket> {
  const socket = client.socket();
  sockets.push(socket);
  return connected(file.server, socket);
}

/** Given Alice, Bob and Carol in a conversation, and Dave outside it, each with a socket. */
async function group() {
  const [alice, bob, carol, dave] = await Promise.all(
    ['Alice', 'Bob', 'Carol', 'Dave'].map((n) => signUp(file.server, n)),
  );
  const c = (await alice!.post('/api/conversations', { memberIds: [bob!.user.id, carol!.user.id] })).body.conversation;
  const [as, bs, cs, ds] = await Promise.all([alice!, bob!, carol!, dave!].map(open));
  return {
    alice: alice!,
    bob: bob!,
    carol: carol!,
    dave: dave!,
    as: as!,
    bs: bs!,
    cs: cs!,
    ds: ds!,
    id: c.id as number,
  };
}

function connectError(socket: ClientSocket): Promise<Error> {
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect_error', resolve);
    socket.once('connect', () => reject(new Error('connected')));
  });
}

describe('the handshake', () => {
  it('refuses a connection without a session with "unauthorized"', async () => {
    const err = await connectError(new Client(file.server.url).socket());
    expect(err.message).toBe('unauthorized');
    const forged = new Client(file.server.url);
    forged.cookie = 'parley.sid=s%3Aforged.signature';
    expect((await connectError(forged.socket())).message).toBe('unauthorized');
  });

  it('refuses a handshake from a foreign Origin', async () => {
    const alice = await signUp(file.server, 'Alice');
    const err = await connectError(alice.socket({ origin: 'https://evil.example' }));
    expect(err).toBeInstanceOf(Error);
    const fine = alice.socket({ origin: file.server.url });
    sockets.push(fine);
    await connected(file.server, fine);
  });
});

describe('messages', () => {
  it('reach every member’s sockets, the sender’s included, and nobody else', async () => {
    const { alice, as, bs, cs, ds, id } = await group();
    const aliceTab2 = await open(alice);
    const got = [as, aliceTab2, bs, cs, ds].map((s) => collect(s, 'message:new'));
    const sent = (await alice.post(`/api/conversations/${id}/messages`, { content: 'hello all' })).body.message;
    await until(() => got.slice(0, 4).every((g) => g.length === 1));
    for (const g of got.slice(0, 4)) expect(g[0]).toEqual(sent);
    await sleep(100);
    expect(got[4]).toEqual([]);
  });

  it('are emitted only once committed: on receipt, the message is already readable', async () => {
    const { alice, bob, bs, id } = await group();
    const readable: boolean[] = [];
    bs.on('message:new', async (m) => {
      const page = await bob.get(`/api/conversations/${id}/messages?after=${m.id - 1}&limit=1`);
      readable.push(page.body.messages[0]?.id === m.id);
    });
    for (let i = 0; i < 5; i++) await alice.post(`/api/conversations/${id}/messages`, { content: `m${i}` });
    await until(() => readable.length === 5);
    expect(readable).toEqual([true, true, true, true, true]);
  });

  it('send one event for a retried clientId', async () => {
    const { alice, bs, id } = await group();
    const got = collect(bs, 'message:new');
    await Promise.all(
      [1, 2, 3].map(() => alice.post(`/api/conversations/${id}/messages`, { content: 'x', clientId: 'k' })),
    );
    await alice.post(`/api/conversations/${id}/messages`, { content: 'x', clientId: 'k' });
    await until(() => got.length >= 1);
    await sleep(150);
    expect(got).toHaveLength(1);
  });

  it('are ordered the same for every member under concurrent senders, with a gapless seq', async () => {
    const { alice, bob, carol, as, bs, cs, id } = await group();
    const got = [as, bs, cs].map((s) => collect(s, 'message:new'));
    const senders = [alice, bob, carol];
    await Promise.all(
      senders.map(async (who, w) => {
        for (let i = 0; i < 15; i++) await who.post(`/api/conversations/${id}/messages`, { content: `${w}-${i}` });
      }),
    );
    await until(() => got.every((g) => g.length === 45));
    const history = (await alice.get(`/api/conversations/${id}/messages?limit=100`)).body.messages as Message[];
    expect(history.map((m) => m.seq)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    // Placing by id (as clients do) gives every member the server's order.
    const byId = (g: Message[]) => [...g].sort((a, b) => a.id - b.id).map((m) => m.id);
    for (const g of got) expect(byId(g)).toEqual(history.map((m) => m.id));
  });

  it('missed while offline are caught up with after= while senders race, nothing twice', async () => {
    const { alice, bob, carol, id } = await group();
    const url = `/api/conversations/${id}/messages`;
    await alice.post(url, { content: 'before' });
    const seen = new Map<number, Message>();
    for (const m of (await bob.get(url)).body.messages as Message[]) seen.set(m.id, m);

    // Bob drops off while Alice and Carol keep sending; he reconnects and catches up mid-stream.
    const racing = Promise.all(
      [alice, carol].map(async (who) => {
        for (let i = 0; i < 20; i++) await who.post(url, { content: `race ${i}` });
      }),
    );
    await sleep(30);
    const socket = await open(bob);
    const live = collect(socket, 'message:new');
    let last = Math.max(...seen.keys());
    for (;;) {
      const page = (await bob.get(`${url}?after=${last}&limit=7`)).body;
      for (const m of page.messages as Message[]) {
        expect(seen.has(m.id)).toBe(false);
        seen.set(m.id, m);
        last = m.id;
      }
      if (!page.hasMore) break;
    }
    await racing;
    await sleep(100);
    for (const m of live) seen.set(m.id, m);
    const all = [...seen.values()].sort((a, b) => a.id - b.id);
    expect(all.map((m) => m.seq)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
  });
});

describe('conversations', () => {
  it('reach each member on creation, and the new room is joined live', async () => {
    const [alice, bob, dave] = await Promise.all(['Alice', 'Bob', 'Dave'].map((n) => signUp(file.server, n)));
    const [as, bs, ds] = await Promise.all([alice!, bob!, dave!].map(open));
    const created = [as!, bs!, ds!].map((s) => collect(s, 'conversation:new'));
    const c = (await alice!.post('/api/conversations', { memberIds: [bob!.user.id] })).body.conversation;
    await until(() => created[0]!.length === 1 && created[1]!.length === 1);
    expect(created[1]![0]).toEqual(c);
    const messages = collect(bs!, 'message:new');
    await alice!.post(`/api/conversations/${c.id}/messages`, { content: 'first' });
    await until(() => messages.length === 1);
    await sleep(100);
    expect(created[2]).toEqual([]);
  });

  it('tell members, and only them, of a rename and a close', async () => {
    const { alice, as, bs, cs, ds, id } = await group();
    const got = [as, bs, cs, ds].map((s) => collect(s, 'conversation:updated'));
    await alice.patch(`/api/conversations/${id}`, { title: 'New title' });
    await alice.post(`/api/conversations/${id}/close`, {});
    await until(() => got.slice(0, 3).every((g) => g.length === 2));
    for (const g of got.slice(0, 3)) {
      expect(g[0]).toMatchObject({ conversationId: id, seq: 1, conversation: { title: 'New title', seq: 1 } });
      expect(g[1]).toMatchObject({ conversationId: id, seq: 2, conversation: { seq: 2 } });
      expect(g[1]!.conversation.closedAt).toEqual(expect.any(String));
    }
    await sleep(100);
    expect(got[3]).toEqual([]);
  });

  it('carry seen receipts to the room', async () => {
    const { alice, bob, as, ds, id } = await group();
    const m = (await alice.post(`/api/conversations/${id}/messages`, { content: 'read me' })).body.message;
    const got = collect(as, 'message:seen');
    const outsider = collect(ds, 'message:seen');
    const res = await bob.post(`/api/conversations/${id}/seen`, { upToMessageId: m.id });
    await until(() => got.length === 1);
    expect(got[0]).toEqual({
      conversationId: id,
      seq: m.seq + 1,
      userId: bob.user.id,
      messageIds: [m.id],
      seenAt: res.body.seenAt,
    });
    await bob.post(`/api/conversations/${id}/seen`, { upToMessageId: m.id });
    await sleep(100);
    expect(got).toHaveLength(1);
    expect(outsider).toEqual([]);
  });
});

describe('logout', () => {
  it('disconnects that session’s sockets and no others', async () => {
    const alice = await signUp(file.server, 'Alice');
    const otherSession = new Client(file.server.url);
    await otherSession.post('/api/auth/login', {
      email: `${alice.user.nickname.toLowerCase()}@example.test`,
      password: 'correct horse battery',
    });
    const mine = await open(alice);
    const theirs = await open(otherSession);
    const dropped = new Promise<string>((resolve) => mine.once('disconnect', resolve));
    await alice.post('/api/auth/logout');
    expect(await dropped).toBe('io server disconnect');
    await sleep(100);
    expect(theirs.connected).toBe(true);
  });
});

describe('typing', () => {
  it('reaches the room without the typist, and is dropped for non-members, closed rooms and floods', async () => {
    const { alice, as, bs, cs, ds, id } = await group();
    const aliceTab2 = await open(alice);
    const got = [as, aliceTab2, bs, cs, ds].map((s) => collect(s, 'typing'));
    as.emit('typing', { conversationId: id });
    await until(() => got[2]!.length === 1 && got[3]!.length === 1);
    expect(got[2]![0]).toEqual({ conversationId: id, userId: alice.user.id });
    ds.emit('typing', { conversationId: id });
    as.emit('typing', { conversationId: 'nope' as unknown as number });
    await sleep(150);
    expect(got[0]).toEqual([]);
    expect(got[1]).toEqual([]);
    expect(got[2]).toHaveLength(1);
    expect(got[4]).toEqual([]);

    for (let i = 0; i < 20; i++) bs.emit('typing', { conversationId: id });
    await sleep(300);
    expect(got[3]!.length - 1).toBeGreaterThan(0);
    expect(got[3]!.length - 1).toBeLessThanOrEqual(3);

    await alice.post(`/api/conversations/${id}/close`, {});
    await sleep(1100);
    const before = got[0]!.length;
    bs.emit('typing', { conversationId: id });
    await sleep(200);
    expect(got[0]!.length).toBe(before);
  });
});

describe('presence', () => {
  it('goes online with the first socket and offline only after the last one is gone', async () => {
    const alice = await signUp(file.server, 'Alice');
    const bob = await signUp(file.server, 'Bob');
    await alice.post('/api/conversations', { memberIds: [bob.user.id] });
    const watcher = await open(alice);
    const events = collect(watcher, 'presence');
    const isOnline = async () => (await alice.get(`/api/users?q=${bob.user.nickname}`)).body.users[0].online as boolean;
    expect(await isOnline()).toBe(false);

    const tab1 = await open(bob);
    const tab2 = await open(bob);
    await until(() => events.length === 1);
    expect(events[0]).toEqual({ userId: bob.user.id, online: true });
    expect(await isOnline()).toBe(true);

    tab1.disconnect();
    await sleep(GRACE_MS * 2);
    expect(events).toHaveLength(1);

    // A reload: the last socket closes and a new one opens within the grace period.
    tab2.disconnect();
    const tab3 = await open(bob);
    await sleep(GRACE_MS * 2);
    expect(events).toHaveLength(1);

    tab3.disconnect();
    expect(await isOnline()).toBe(true);
    // Sockets that close while the server is still setting them up leave nobody online for good.
    for (let i = 0; i < 10; i++) {
      const flash = bob.socket();
      sockets.push(flash);
      flash.once('connect', () => flash.disconnect());
    }
    await until(() => events.length === 2);
    expect(events[1]).toEqual({ userId: bob.user.id, online: false });
    expect(await isOnline()).toBe(false);
  });
});
