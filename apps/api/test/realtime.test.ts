import type { Message } from '@parley/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from './support/clock.ts';
import { aliceBobCarolAndDave, startConversation } from './support/fixtures.ts';
import {
  apiForThisFile,
  Client,
  type ClientSocket,
  collect,
  connected,
  gone,
  signUp,
  until,
} from './support/test-app.ts';

const GRACE_MS = 400;
const sockets: ClientSocket[] = [];
// The app's throttles and grace periods read this clock, which moves only when a test moves it.
const clock = manualClock();

const file = apiForThisFile({}, { presenceGraceMs: GRACE_MS, clock });
afterEach(async () => {
  // Wait until the server has let go, so one test's disconnects cannot land in the next.
  const closing = sockets.splice(0);
  const ids = closing.flatMap((s) => (s.connected ? [s.id!] : []));
  for (const s of closing) s.disconnect();
  await Promise.all(ids.map((id) => gone(file.server, id)));
});

async function open(client: Client): Promise<ClientSocket> {
  const socket = client.socket();
  sockets.push(socket);
  return connected(file.server, socket);
}

const group = () => aliceBobCarolAndDave(file.server, open);

/**
 * The barrier that "nothing else arrives" rests on: `from` sends `to` a message in a conversation of
 * their own, after whatever must not reach `socket`, and it is awaited there. The server writes a
 * socket's events in the order it emits them, so anything emitted earlier would have come first.
 */
async function barrier(socket: ClientSocket, from: Client, to: Awaited<ReturnType<typeof signUp>>) {
  const conversation = await startConversation(from, [to]);
  const got = collect(socket, 'message:new');
  const sent = (await from.post(`/api/conversations/${conversation.id}/messages`, { content: 'barrier' })).body
    .message as Message;
  await until(() => got.some((m) => m.id === sent.id));
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

  it('refuses a handshake from a foreign Origin with 403 csrf_rejected', async () => {
    const alice = await signUp(file.server, 'Alice');
    // What the browser's first request (long-polling) is answered: the contract's error body.
    const handshake = await alice.request('GET', '/socket.io/?EIO=4&transport=polling', undefined, {
      origin: 'https://evil.example',
    });
    expect(handshake.status).toBe(403);
    expect(handshake.body.error).toEqual({ code: 'csrf_rejected', message: 'This request came from another site.' });
    // What a Socket.IO client is told: the polling handshake failed with 403 (a WebSocket upgrade is
    // simply closed, so the client cannot read a status there).
    const polling = new Client(file.server.url);
    polling.cookie = alice.cookie;
    const err = (await connectError(
      polling.socket({ origin: 'https://evil.example', transports: ['polling'] }),
    )) as Error & {
      description?: unknown;
    };
    expect(err.message).toBe('xhr poll error');
    expect(err.description).toBe(403);
    const upgrade = await connectError(alice.socket({ origin: 'https://evil.example' }));
    expect(upgrade.message).toBe('websocket error');
    const fine = alice.socket({ origin: file.server.url });
    sockets.push(fine);
    await connected(file.server, fine);
  });
});

describe('connecting', () => {
  it('puts the socket in all its conversation rooms before the client hears connect', async () => {
    const { bob, id } = await group();
    const socket = bob.socket();
    sockets.push(socket);
    // What a client fetches after `connect` and what is emitted after it must overlap: nothing
    // committed in between may miss the socket (the web client resyncs on `connect`).
    const roomsAtConnect = await new Promise<string[]>((resolve, reject) => {
      socket.once('connect_error', reject);
      socket.once('connect', async () => {
        const mine = (await file.server.app.io.fetchSockets()).find((s) => s.id === socket.id);
        resolve([...(mine?.rooms ?? [])]);
      });
    });
    expect(roomsAtConnect).toContain(`conversation:${id}`);
  });
});

describe('messages', () => {
  it('reach every member’s sockets, the sender’s included, and nobody else', async () => {
    const { alice, dave, as, bs, cs, ds, id } = await group();
    const aliceTab2 = await open(alice);
    const got = [as, aliceTab2, bs, cs, ds].map((s) => collect(s, 'message:new'));
    const sent = (await alice.post(`/api/conversations/${id}/messages`, { content: 'hello all' })).body.message;
    await until(() => got.slice(0, 4).every((g) => g.length === 1));
    for (const g of got.slice(0, 4)) expect(g[0]).toEqual(sent);
    await barrier(ds, alice, dave);
    expect(got[4]!.map((m) => m.content)).toEqual(['barrier']);
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
    // Barrier: a later message in the same room; every retry was answered before it was sent.
    await alice.post(`/api/conversations/${id}/messages`, { content: 'after' });
    await until(() => got.some((m) => m.content === 'after'));
    expect(got.map((m) => m.content)).toEqual(['x', 'after']);
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
    let sent = 0;
    const racing = Promise.all(
      [alice, carol].map(async (who) => {
        for (let i = 0; i < 20; i++) {
          await who.post(url, { content: `race ${i}` });
          sent += 1;
        }
      }),
    );
    await until(() => sent >= 4);
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
    // Barrier: once this last message is live, every earlier one has been delivered too.
    const final = (await alice.post(url, { content: 'last' })).body.message as Message;
    await until(() => live.some((m) => m.id === final.id));
    for (const m of live) seen.set(m.id, m);
    const all = [...seen.values()].sort((a, b) => a.id - b.id);
    expect(all.map((m) => m.seq)).toEqual(Array.from({ length: 42 }, (_, i) => i + 1));
  });
});

describe('conversations', () => {
  it('reach each member on creation, and the new room is joined live', async () => {
    const [alice, bob, dave] = await Promise.all(['Alice', 'Bob', 'Dave'].map((n) => signUp(file.server, n)));
    const [as, bs, ds] = await Promise.all([alice!, bob!, dave!].map(open));
    const created = [as!, bs!, ds!].map((s) => collect(s, 'conversation:new'));
    const c = (await alice!.post('/api/conversations', { memberIds: [bob!.user.id] })).body.conversation;
    await until(() => created[0]!.length === 1 && created[1]!.length === 1);
    // A direct conversation: each side sees the other's nickname as its title.
    expect(c).toMatchObject({ kind: 'direct', ownerId: null, title: bob!.user.nickname });
    expect(created[1]![0]).toEqual({ ...c, title: alice!.user.nickname });
    const messages = collect(bs!, 'message:new');
    await alice!.post(`/api/conversations/${c.id}/messages`, { content: 'first' });
    await until(() => messages.length === 1);
    // Barrier: a conversation Dave is in, created after the one he is not in.
    const his = await startConversation(alice!, [dave!]);
    await until(() => created[2]!.length > 0);
    expect(created[2]!.map((c) => c.id)).toEqual([his.id]);
  });

  it('tell members, and only them, of a rename and a close', async () => {
    const { alice, dave, as, bs, cs, ds, id } = await group();
    const theirs = await startConversation(alice, [dave], 'Alice and Dave');
    const got = [as, bs, cs, ds].map((s) => collect(s, 'conversation:updated'));
    const entries = collect(bs, 'message:new');
    await alice.patch(`/api/conversations/${id}`, { title: 'New title' });
    await alice.post(`/api/conversations/${id}/close`, {});
    await until(() => got.slice(0, 3).every((g) => g.length === 2));
    // Each change takes two numbers: its own conversation:updated, then its system entry's message:new.
    for (const g of got.slice(0, 3)) {
      expect(g[0]).toMatchObject({ conversationId: id, seq: 1, conversation: { title: 'New title' } });
      expect(g[1]).toMatchObject({ conversationId: id, seq: 3, conversation: { seq: 4 } });
      expect(g[1]!.conversation.closedAt).toEqual(expect.any(String));
    }
    await until(() => entries.length === 2);
    expect(entries.map((m) => [m.seq, m.kind, m.system])).toEqual([
      [2, 'system', { action: 'renamed', userIds: [], title: 'New title' }],
      [4, 'system', { action: 'closed', userIds: [], title: null }],
    ]);
    // Barrier: a rename of a conversation Dave is in, after the two he must not hear of.
    await alice.patch(`/api/conversations/${theirs.id}`, { title: 'Dave too' });
    await until(() => got[3]!.length > 0);
    expect(got[3]!.map((e) => e.conversationId)).toEqual([theirs.id]);
  });

  it('carry seen receipts to the room', async () => {
    const { alice, bob, dave, as, ds, id } = await group();
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
    // Barriers: a message in the room for Alice, one of his own for Dave, both after the repeat.
    const toAlice = collect(as, 'message:new');
    const after = (await bob.post(`/api/conversations/${id}/messages`, { content: 'after' })).body.message;
    await until(() => toAlice.some((x) => x.id === after.id));
    expect(got).toHaveLength(1);
    await barrier(ds, alice, dave);
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
    const signedOutCookie = alice.cookie;
    await alice.post('/api/auth/logout');
    expect(await dropped).toBe('io server disconnect');
    // The cookie of the ended session, replayed (a copy kept by someone else), opens no new socket.
    const replay = new Client(file.server.url);
    replay.cookie = signedOutCookie;
    expect((await connectError(replay.socket())).message).toBe('unauthorized');
    // Barrier: the other session's socket still hears what happens after the logout.
    const bob = await signUp(file.server, 'Bob');
    const created = collect(theirs, 'conversation:new');
    const c = await startConversation(otherSession, [bob]);
    await until(() => created.some((x) => x.id === c.id));
    expect(theirs.connected).toBe(true);
  });
});

describe('typing', () => {
  it('reaches the room without the typist, and is dropped for non-members, closed rooms and floods', async () => {
    const { alice, bob, carol, dave, as, bs, cs, ds, id } = await group();
    // Barriers: a conversation of Bob and Dave, and a second one of Alice, Bob and Carol. One socket's
    // typing events are relayed in the order sent, so a later one is relayed after an earlier one.
    const bobAndDave = (await startConversation(bob, [dave])).id;
    const again = (await startConversation(alice, [bob, carol])).id;
    const aliceTab2 = await open(alice);
    const got = [as, aliceTab2, bs, cs, ds].map((s) => collect(s, 'typing'));
    const [toAlice, toAliceTab2, toBob, toCarol, toDave] = got as [
      (typeof got)[0],
      (typeof got)[0],
      (typeof got)[0],
      (typeof got)[0],
      (typeof got)[0],
    ];
    const from = (userId: number, conversationId: number) => ({ conversationId, userId });

    as.emit('typing', { conversationId: id });
    await until(() => toBob.length === 1 && toCarol.length === 1);
    expect(toBob[0]).toEqual(from(alice.user.id, id));

    // Dave is not in the room; then he types where Bob is, and that arrives.
    ds.emit('typing', { conversationId: id });
    ds.emit('typing', { conversationId: bobAndDave });
    as.emit('typing', { conversationId: 'nope' as unknown as number });
    await until(() => toBob.length === 2);
    expect(toBob).toEqual([from(alice.user.id, id), from(dave.user.id, bobAndDave)]);
    // Bob types in the room, then where Dave is: Alice's tabs hear only Bob, Dave only his own room.
    bs.emit('typing', { conversationId: id });
    bs.emit('typing', { conversationId: bobAndDave });
    await until(() => toAlice.length === 1 && toAliceTab2.length === 1 && toDave.length === 1);
    expect(toAlice).toEqual([from(bob.user.id, id)]);
    expect(toAliceTab2).toEqual([from(bob.user.id, id)]);
    expect(toDave).toEqual([from(bob.user.id, bobAndDave)]);

    // A flood: at most 3 in any second. The clock does not move, so exactly 3 go through.
    clock.advance(1_000);
    const carolBefore = toCarol.length;
    // The server's own socket counts what it has received, so time moves only after the whole flood.
    let received = 0;
    file.server.app.io
      .of('/')
      .sockets.get(bs.id!)!
      .on('typing', () => received++);
    for (let i = 0; i < 20; i++) bs.emit('typing', { conversationId: id });
    await until(() => received === 20);
    clock.advance(1_000);
    bs.emit('typing', { conversationId: again });
    await until(() => toCarol.some((e) => e.conversationId === again));
    expect(toCarol.slice(carolBefore)).toEqual([
      from(bob.user.id, id),
      from(bob.user.id, id),
      from(bob.user.id, id),
      from(bob.user.id, again),
    ]);

    // Closed: Bob's typing there is dropped; the same socket's next one, elsewhere, arrives.
    await alice.post(`/api/conversations/${id}/close`, {});
    clock.advance(1_000);
    const aliceBefore = toAlice.length;
    bs.emit('typing', { conversationId: id });
    bs.emit('typing', { conversationId: again });
    await until(() => toAlice.length > aliceBefore);
    expect(toAlice.slice(aliceBefore)).toEqual([from(bob.user.id, again)]);
  });

  it('says at once when the typist clears the composer, once per time they typed, never on its own', async () => {
    const { alice, bob, as, bs, id } = await group();
    const again = (await startConversation(alice, [bob])).id;
    const toBob = collect(bs, 'typing');
    clock.advance(1_000);

    // A stop with no typing before it is not relayed: the barrier (typing elsewhere) comes first.
    as.emit('typing', { conversationId: id, stopped: true });
    as.emit('typing', { conversationId: again });
    await until(() => toBob.length === 1);
    expect(toBob).toEqual([{ conversationId: again, userId: alice.user.id }]);

    as.emit('typing', { conversationId: id });
    as.emit('typing', { conversationId: id, stopped: true });
    // Stops past the first are dropped, however many: the barrier again shows nothing else came.
    for (let i = 0; i < 5; i++) as.emit('typing', { conversationId: id, stopped: true });
    as.emit('typing', { conversationId: again, stopped: true });
    await until(() => toBob.length === 4);
    expect(toBob.slice(1)).toEqual([
      { conversationId: id, userId: alice.user.id },
      { conversationId: id, userId: alice.user.id, stopped: true },
      { conversationId: again, userId: alice.user.id, stopped: true },
    ]);
  });
});

describe('presence', () => {
  it('goes online with the first socket and offline only after the last one is gone', async () => {
    const alice = await signUp(file.server, 'Alice');
    const bob = await signUp(file.server, 'Bob');
    await startConversation(alice, [bob]);
    clock.advance(60_000); // earlier tests' grace periods end now, not during this one
    const watcher = await open(alice);
    const events = collect(watcher, 'presence');
    const isOnline = async () => (await alice.get(`/api/users?q=${bob.user.nickname}`)).body.users[0].online as boolean;
    expect(await isOnline()).toBe(false);

    const tab1 = await open(bob);
    const tab2 = await open(bob);
    await until(() => events.length === 1);
    expect(events[0]).toEqual({ userId: bob.user.id, online: true });
    expect(await isOnline()).toBe(true);

    // One of two tabs closes: nothing is even scheduled.
    const closing = tab1.id!;
    tab1.disconnect();
    await gone(file.server, closing);
    expect(clock.pending()).toBe(0);

    // A reload: the last socket closes and a new one opens within the grace period, which it cancels.
    const reloading = tab2.id!;
    tab2.disconnect();
    await gone(file.server, reloading);
    expect(clock.pending()).toBe(1);
    const tab3 = await open(bob);
    await until(() => clock.pending() === 0);
    clock.advance(GRACE_MS * 2);
    expect(await isOnline()).toBe(true);

    // The last tab closes: still online until the grace period has passed.
    const last = tab3.id!;
    tab3.disconnect();
    await gone(file.server, last);
    clock.advance(GRACE_MS - 1);
    expect(await isOnline()).toBe(true);
    // Sockets that close while the server is still setting them up leave nobody online for good.
    const flashes = Array.from({ length: 10 }, () => {
      const flash = bob.socket();
      sockets.push(flash);
      return new Promise<void>((resolve) => {
        flash.once('connect', () => flash.disconnect());
        flash.once('disconnect', () => resolve());
        flash.once('connect_error', () => resolve());
      });
    });
    await Promise.all(flashes);
    await until(async () => !(await file.server.app.io.fetchSockets()).some((s) => s.data.userId === bob.user.id));
    await until(() => {
      clock.advance(GRACE_MS);
      return events.length >= 2;
    });
    // The offline event is the barrier: anything the closing tab or the reload had announced came first.
    expect(events).toEqual([
      { userId: bob.user.id, online: true },
      { userId: bob.user.id, online: false },
    ]);
    expect(await isOnline()).toBe(false);
  });
});
