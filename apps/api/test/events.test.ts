import type { Conversation, ConversationEvent, Message } from '@parley/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { applyEvent, type Snapshot } from './support/apply-event.ts';
import { startConversation } from './support/fixtures.ts';
import { apiForThisFile, Client, type ClientSocket, connected, gone, signUp, until } from './support/test-app.ts';

const file = apiForThisFile();

type Person = Awaited<ReturnType<typeof signUp>>;

const sockets: ClientSocket[] = [];
afterEach(async () => {
  // Wait until the server has let go, so one test's sockets cannot hear the next one's events.
  const closing = sockets.splice(0);
  const ids = closing.flatMap((s) => (s.connected ? [s.id!] : []));
  for (const s of closing) s.disconnect();
  await Promise.all(ids.map((id) => gone(file.server, id)));
});
async function open(client: Client): Promise<ClientSocket> {
  const socket = await connected(file.server, client.socket());
  sockets.push(socket);
  return socket;
}

/** Given a group owned by Alice with Bob and Carol, and Dave outside it. */
async function group(others = 2) {
  const people = await Promise.all(['Alice', 'Bob', 'Carol', 'Dave'].map((n) => signUp(file.server, n)));
  const [alice, bob, carol, dave] = people as [Person, Person, Person, Person];
  const c = await startConversation(alice, [bob, carol, dave].slice(0, others));
  return { alice, bob, carol, dave, id: c.id, url: `/api/conversations/${c.id}` };
}

const sequencedTypes = ['message:new', 'message:updated', 'message:seen', 'conversation:updated'] as const;

/** Every sequenced event a socket receives, in arrival order, as `events?after=` lists them. */
function sequenced(socket: ClientSocket, onEvent?: (event: ConversationEvent) => void): ConversationEvent[] {
  const received: ConversationEvent[] = [];
  for (const type of sequencedTypes) {
    socket.on(type, (payload: any) => {
      const event = { type, payload } as ConversationEvent;
      received.push(event);
      onEvent?.(event);
    });
  }
  return received;
}

const put = (client: Client, path: string) => client.put(path);
const del = (client: Client, path: string) => client.delete(path);
const reaction = (url: string, messageId: number, emoji: string) =>
  `${url}/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`;

/** Every event after `after`, page by page. */
async function eventsAfter(client: Client, url: string, after: number, limit = 200) {
  const events: ConversationEvent[] = [];
  let lastSeq = after;
  for (;;) {
    const res = await client.get(`${url}/events?after=${after}&limit=${limit}`);
    expect(res.status).toBe(200);
    events.push(...res.body.events);
    lastSeq = res.body.lastSeq;
    after = res.body.events.at(-1)?.payload.seq ?? after;
    if (!res.body.hasMore) return { events, lastSeq };
  }
}

async function snapshotOf(client: Person, url: string): Promise<Snapshot> {
  // The conversation first: messages read later are newer still, and their changes are all after its seq.
  const conversation = (await client.get(url)).body.conversation as Conversation;
  const messages = (await client.get(`${url}/messages?limit=100`)).body.messages as Message[];
  return { userId: client.user.id, conversation, messages };
}

describe('live events', () => {
  it('every sequenced change emits exactly one event with the next seq, readable when it arrives; no-ops emit none', async () => {
    const { alice, bob, carol, dave, url } = await group();
    const [cs, ds] = [await open(carol), await open(dave)];
    let onArrival: ((event: ConversationEvent) => void) | undefined;
    const got = sequenced(cs, (event) => onArrival?.(event));
    const outsider = sequenced(ds);
    let seq = 0;

    /** What the change is about, read back by Carol. */
    const readBack = (event: ConversationEvent): Promise<unknown> => {
      if (event.type === 'conversation:updated') return carol.get(url).then((r) => r.body.conversation);
      const id =
        event.type === 'message:new'
          ? event.payload.id
          : event.type === 'message:updated'
            ? event.payload.message.id
            : event.payload.messageIds.at(-1);
      return carol.get(`${url}/messages?around=${id}&limit=1`).then((r) => r.body.messages[0]);
    };

    /** Runs `change`, then waits for its one event on Carol's socket, reading the state back on arrival. */
    async function step(change: () => Promise<{ status: number }>, type: ConversationEvent['type']) {
      // Read back the moment it arrives: an event sent before its commit would find the old state.
      const arrived = new Promise<{ event: ConversationEvent; state: Promise<unknown> }>((resolve) => {
        onArrival = (event) => {
          onArrival = undefined;
          resolve({ event, state: readBack(event) });
        };
      });
      const res = await change();
      expect(res.status).toBeLessThan(300);
      const { event, state } = await arrived;
      seq += 1;
      expect(event.type).toBe(type);
      expect(event.payload.seq).toBe(seq);
      return { event, state: await state };
    }

    const sent = await step(() => bob.post(`${url}/messages`, { content: 'first' }), 'message:new');
    const m = sent.event.payload as Message;
    expect(sent.state).toEqual(m);

    const edited = await step(
      () => bob.patch(`${url}/messages/${m.id}`, { content: 'first, edited' }),
      'message:updated',
    );
    expect(edited.state).toMatchObject({ id: m.id, content: 'first, edited' });
    expect(edited.state).toEqual((edited.event.payload as { message: Message }).message);

    const reacted = await step(() => put(alice, reaction(url, m.id, '🎉')), 'message:updated');
    expect(reacted.state).toMatchObject({ reactions: [{ emoji: '🎉', userIds: [alice.user.id] }] });

    const unreacted = await step(() => del(alice, reaction(url, m.id, '🎉')), 'message:updated');
    expect(unreacted.state).toMatchObject({ reactions: [] });

    const replied = await step(
      () => alice.post(`${url}/messages`, { content: 'a reply', replyToId: m.id }),
      'message:new',
    );
    expect(replied.state).toMatchObject({ replyTo: { id: m.id, excerpt: 'first, edited' } });

    const seen = await step(
      () => carol.post(`${url}/seen`, { upToMessageId: (replied.event.payload as Message).id }),
      'message:seen',
    );
    expect(seen.event.payload).toMatchObject({
      userId: carol.user.id,
      messageIds: [m.id, (replied.event.payload as Message).id],
    });
    expect(seen.state).toMatchObject({ seenBy: [{ userId: carol.user.id }] });

    const deleted = await step(() => del(bob, `${url}/messages/${m.id}`), 'message:updated');
    expect(deleted.state).toMatchObject({ id: m.id, content: '', deletedAt: expect.any(String) });

    // Changes that change nothing take no number and emit nothing.
    for (const noop of [
      () => del(bob, `${url}/messages/${m.id}`),
      () => alice.patch(`${url}/messages/${(replied.event.payload as Message).id}`, { content: 'a reply' }),
      () => put(bob, reaction(url, (replied.event.payload as Message).id, '👍')),
      () => put(bob, reaction(url, (replied.event.payload as Message).id, '👍')),
      () => del(carol, reaction(url, (replied.event.payload as Message).id, '👍')),
      () => carol.post(`${url}/seen`, { upToMessageId: (replied.event.payload as Message).id }),
      async () => alice.patch(url, { title: (await alice.get(url)).body.conversation.title }),
    ]) {
      expect((await noop()).status).toBe(200);
    }
    seq += 1; // Bob's 👍 above was the one real change among them.
    await until(() => got.length === 8);
    expect(got[7]!.payload.seq).toBe(seq);

    const renamed = await step(() => alice.patch(url, { title: 'Renamed' }), 'conversation:updated');
    expect(renamed.state).toEqual((renamed.event.payload as { conversation: Conversation }).conversation);
    expect(renamed.state).toMatchObject({ title: 'Renamed', seq });

    const closed = await step(() => alice.post(`${url}/close`, {}), 'conversation:updated');
    expect(closed.state).toMatchObject({ closedAt: expect.any(String), seq });

    // A barrier for Dave: his own new conversation reaches him after anything of this one could.
    const barrier = new Promise((resolve) => ds.once('conversation:new', resolve));
    await dave.post('/api/conversations', { memberIds: [alice.user.id] });
    await barrier;
    expect(outsider).toEqual([]);
    expect(got.map((e) => e.payload.seq)).toEqual(Array.from({ length: seq }, (_, i) => i + 1));
  });
});

describe('GET …/events', () => {
  it('lists every change after a seq, gapless to lastSeq, each payload as things are now', async () => {
    const { alice, bob, url, id } = await group();
    const a = (await bob.post(`${url}/messages`, { content: 'to be edited' })).body.message as Message;
    const b = (await bob.post(`${url}/messages`, { content: 'to be deleted' })).body.message as Message;
    await alice.post(`${url}/seen`, { upToMessageId: b.id });
    await put(alice, reaction(url, a.id, '👍'));
    await bob.patch(`${url}/messages/${a.id}`, { content: 'edited' });
    await del(bob, `${url}/messages/${b.id}`);
    await alice.patch(url, { title: 'Now' });

    const res = await alice.get(`${url}/events?after=0`);
    expect(res.status).toBe(200);
    const { events, lastSeq, hasMore } = res.body as { events: ConversationEvent[]; lastSeq: number; hasMore: boolean };
    expect({ lastSeq, hasMore }).toEqual({ lastSeq: 7, hasMore: false });
    expect(events.map((e) => [e.type, e.payload.seq])).toEqual([
      ['message:new', 1],
      ['message:new', 2],
      ['message:seen', 3],
      ['message:updated', 4],
      ['message:updated', 5],
      ['message:updated', 6],
      ['conversation:updated', 7],
    ]);
    const history = (await alice.get(`${url}/messages`)).body.messages as Message[];
    const conversation = (await alice.get(url)).body.conversation as Conversation;
    // As now: the first send shows the edit and the reaction, the second its tombstone.
    expect(events[0]!.payload).toEqual(history[0]);
    expect(events[1]!.payload).toEqual(history[1]);
    expect(events[1]!.payload).toMatchObject({ content: '', deletedAt: expect.any(String) });
    expect(events[2]!.payload).toEqual({
      conversationId: id,
      seq: 3,
      userId: alice.user.id,
      messageIds: [a.id, b.id],
      seenAt: history[0]!.seenBy[0]!.seenAt,
    });
    for (const e of events.slice(3, 6)) expect(e.payload).toMatchObject({ conversationId: id });
    expect(events[3]!.payload).toEqual({ conversationId: id, seq: 4, message: history[0] });
    expect(events[6]!.payload).toEqual({ conversationId: id, seq: 7, conversation });

    expect((await alice.get(`${url}/events?after=7`)).body).toEqual({ events: [], lastSeq: 7, hasMore: false });
    expect((await alice.get(`${url}/events?after=5`)).body.events).toEqual(events.slice(5));
  });

  it('pages with limit and hasMore, and validates its query', async () => {
    const { alice, bob, url } = await group();
    for (let i = 0; i < 7; i++) await bob.post(`${url}/messages`, { content: `m${i}` });
    const first = (await alice.get(`${url}/events?after=0&limit=3`)).body;
    expect(first.events.map((e: ConversationEvent) => e.payload.seq)).toEqual([1, 2, 3]);
    expect(first).toMatchObject({ lastSeq: 7, hasMore: true });
    const all = await eventsAfter(alice, url, 0, 3);
    expect(all.events.map((e) => e.payload.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect((await alice.get(`${url}/events?after=4&limit=3`)).body.hasMore).toBe(false);
    expect((await alice.get(`${url}/events?after=0&limit=500`)).status).toBe(200);
    for (const query of ['after=8', 'after=-1', 'after=x', '', 'after=0&limit=0', 'after=0&limit=501', 'after=1.5']) {
      const res = await alice.get(`${url}/events?${query}`);
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({
        query,
        status: 400,
        code: 'validation_failed',
      });
    }
  });

  it('answers 404 to a non-member, exactly as for a conversation that does not exist', async () => {
    const { dave, url } = await group();
    const res = await dave.get(`${url}/events?after=0`);
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 404, code: 'not_found' });
    expect((await dave.get('/api/conversations/99999999/events?after=0')).body).toEqual(res.body);
  });
});

/** A small deterministic PRNG, so a failing run can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * Three clients (Alice, Bob, Carol) make every kind of change concurrently while Dave's laptop takes
 * its snapshot at S and goes offline; Dave's phone (another session) keeps reading meanwhile. The
 * laptop's snapshot with the events after S applied in order must equal a fresh snapshot exactly.
 */
async function replayScenario(options: { conversationChanges: boolean }) {
  const { alice, bob, carol, dave, url } = await group(3);
  const phone = new Client(file.server.url);
  await phone.post('/api/auth/login', {
    email: `${dave.user.nickname.toLowerCase()}@example.test`,
    password: 'correct horse battery',
  });
  const pick = <T>(list: T[], r: () => number) => list[Math.floor(r() * list.length)];
  const sent: { id: number; senderId: number }[] = [];
  const emoji = ['👍', '🎉', '❤️', '👨‍👩‍👧'];
  for (const who of [alice, bob, carol, dave]) {
    const m = (await who.post(`${url}/messages`, { content: `hello from ${who.user.nickname}` })).body.message;
    sent.push({ id: m.id, senderId: who.user.id });
  }
  await dave.post(`${url}/seen`, { upToMessageId: sent.at(-1)!.id });
  const laptop = await open(dave);

  const kinds = new Set<string>();
  /** One client's run: every change kind in a seeded order; conflicts with the others are expected. */
  async function drive(who: Person | Client, seed: number, steps: number, choices: string[]) {
    const r = random(seed);
    const mine = () => sent.filter((m) => 'user' in who && m.senderId === who.user.id);
    const reacted: [number, string][] = [];
    for (let i = 0; i < steps; i++) {
      const kind = options.conversationChanges && who === alice && i % 9 === 8 ? 'rename' : pick(choices, r)!;
      let res: { status: number; body: any };
      switch (kind) {
        case 'send':
        case 'reply': {
          const replyToId = kind === 'reply' ? pick(sent, r)!.id : undefined;
          res = await who.post(`${url}/messages`, { content: `${kind} ${seed}.${i} **bold**`, replyToId });
          if (res.status === 201) sent.push({ id: res.body.message.id, senderId: (who as Person).user.id });
          break;
        }
        case 'edit':
          res = await who.patch(`${url}/messages/${pick(mine(), r)!.id}`, { content: `edited ${seed}.${i}` });
          break;
        case 'delete':
          res = await del(who, `${url}/messages/${pick(mine(), r)!.id}`);
          break;
        case 'react': {
          const target: [number, string] = [pick(sent, r)!.id, pick(emoji, r)!];
          res = await put(who, reaction(url, ...target));
          reacted.push(target);
          break;
        }
        case 'unreact':
          res = await del(who, reaction(url, ...(reacted.shift() ?? [pick(sent, r)!.id, '👍'])));
          break;
        case 'seen':
          // The phone reads up to the newest; the others somewhere in the history.
          res = await who.post(`${url}/seen`, { upToMessageId: (who === phone ? sent.at(-1) : pick(sent, r))!.id });
          break;
        default:
          res = await who.patch(url, { title: `Title ${seed}.${i}` });
      }
      // A message another client deleted meanwhile: refused, and nothing changed.
      const raced =
        (res.status === 409 && res.body.error.code === 'message_deleted') ||
        (res.status === 400 && res.body.error.fields?.replyToId !== undefined);
      const expected = kind === 'send' || kind === 'reply' ? 201 : 200;
      if (!raced) expect({ kind, status: res.status }).toEqual({ kind, status: expected });
      kinds.add(kind);
    }
    if ('user' in who) await finale(who, seed);
  }

  /**
   * Messages each driver changes once more at the end, after S, as the last change of each: a change
   * whose event went missing cannot then be hidden by a later event carrying the message as it is now.
   */
  const later = new Map<number, Record<'react' | 'unreact' | 'edit' | 'delete', Message>>();
  for (const who of [alice, bob, carol]) {
    const send = async (what: string) =>
      (await who.post(`${url}/messages`, { content: `${who.user.nickname} will ${what} this` })).body
        .message as Message;
    const targets = {
      react: await send('react to'),
      unreact: await send('unreact'),
      edit: await send('edit'),
      delete: await send('delete'),
    };
    await put(who, reaction(url, targets.unreact.id, '🎉'));
    later.set(who.user.id, targets);
  }

  async function finale(who: Person, seed: number) {
    const targets = later.get(who.user.id)!;
    expect((await put(who, reaction(url, targets.react.id, '👍'))).status).toBe(200);
    expect((await del(who, reaction(url, targets.unreact.id, '🎉'))).status).toBe(200);
    expect((await who.patch(`${url}/messages/${targets.edit.id}`, { content: `edited at last ${seed}` })).status).toBe(
      200,
    );
    expect((await del(who, `${url}/messages/${targets.delete.id}`)).status).toBe(200);
    const reply = { content: `finale ${seed}`, replyToId: targets.react.id };
    expect((await who.post(`${url}/messages`, reply)).status).toBe(201);
  }

  const changes = ['send', 'send', 'reply', 'edit', 'delete', 'react', 'react', 'unreact', 'seen'];
  const drivers = [alice, bob, carol].map((who, i) => drive(who, i + 1, 27, changes));
  // The laptop's snapshot at S, taken while the others are busy; then it goes offline.
  await until(async () => (await dave.get(url)).body.conversation.seq >= 25);
  const atS = await snapshotOf(dave, url);
  laptop.disconnect();
  await Promise.all(drivers);
  // The finale's targets were still untouched in the snapshot: their last changes come after S.
  for (const targets of later.values()) {
    const held = (id: number) => atS.messages.find((m) => m.id === id)!;
    expect(held(targets.react.id).reactions).toEqual([]);
    expect(held(targets.unreact.id).reactions).toHaveLength(1);
    expect(held(targets.edit.id).editedAt).toBeNull();
    expect(held(targets.delete.id).deletedAt).toBeNull();
  }
  // Dave's phone reads everything while the laptop is away.
  await drive(phone, 4, 1, ['seen']);
  if (options.conversationChanges) expect((await alice.post(`${url}/close`, {})).status).toBe(200);

  const S = atS.conversation.seq;
  const { events, lastSeq } = await eventsAfter(dave, url, S, 7);
  expect(events.map((e) => e.payload.seq)).toEqual(Array.from({ length: lastSeq - S }, (_, i) => S + 1 + i));
  const expectedKinds = ['delete', 'edit', 'react', 'reply', 'seen', 'send', 'unreact'];
  if (options.conversationChanges) expectedKinds.push('rename');
  expect([...kinds].sort()).toEqual(expectedKinds.sort());
  expect(events.some((e) => e.type === 'message:seen' && e.payload.userId === dave.user.id)).toBe(true);

  const replayed = events.reduce(applyEvent, atS);
  const fresh = await snapshotOf(dave, url);
  expect(fresh.conversation.seq).toBe(lastSeq);
  expect(fresh.messages.length).toBeLessThan(100);
  expect(replayed).toEqual(fresh);
  // The snapshot was not already the present: the replay did real work.
  expect(atS).not.toEqual(fresh);
  return events;
}

describe('the replay property', () => {
  it('holds for every change kind from three concurrent clients, renames and a close at the end included', async () => {
    const events = await replayScenario({ conversationChanges: true });
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(sequencedTypes));
    expect(events.at(-1)).toMatchObject({
      type: 'conversation:updated',
      payload: { conversation: { closedAt: expect.any(String) } },
    });
  });

  it('holds with message events alone, so the summary (unread count, last message) is kept by them too', async () => {
    const events = await replayScenario({ conversationChanges: false });
    expect(events.some((e) => e.type === 'conversation:updated')).toBe(false);
  });
});
