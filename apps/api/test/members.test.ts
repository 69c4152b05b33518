import type { Conversation, ConversationEvent, Message } from '@parley/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { startConversation } from './support/fixtures.ts';
import {
  apiForThisFile,
  type Client,
  type ClientSocket,
  collect,
  connected,
  signUp,
  until,
} from './support/test-app.ts';

const file = apiForThisFile();
const sockets: ClientSocket[] = [];
afterAll(() => {
  for (const s of sockets) s.disconnect();
});
const open = async (client: Client) => {
  const socket = client.socket();
  sockets.push(socket);
  return connected(file.server, socket);
};
type Person = Awaited<ReturnType<typeof signUp>>;
const people = (...names: string[]) => Promise.all(names.map((n) => signUp(file.server, n)));
const del = (who: Client, path: string) => who.delete(path);
const expectError = (res: { status: number; body: any }, status: number, code: string) => {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
};

/** Alice owns "Team" with Bob and Carol, and there are three messages in it. */
async function team() {
  const [alice, bob, carol, dave] = (await people('Alice', 'Bob', 'Carol', 'Dave')) as Person[];
  const c = await startConversation(alice!, [bob!, carol!], 'Team');
  const url = `/api/conversations/${c.id}`;
  for (const content of ['one', 'two', 'three']) await bob!.post(`${url}/messages`, { content });
  return { alice: alice!, bob: bob!, carol: carol!, dave: dave!, id: c.id, url };
}

const historyOf = async (who: Client, url: string) => (await who.get(`${url}/messages`)).body.messages as Message[];
const systemOf = (messages: Message[]) =>
  messages.filter((m) => m.kind === 'system').map((m) => [m.sender.id, m.system]);

describe('direct conversations', () => {
  it('are one per pair: the second create answers 200 with the first, from either side', async () => {
    const [alice, bob] = (await people('Alice', 'Bob')) as Person[];
    const first = await alice!.post('/api/conversations', { memberIds: [bob!.user.id] });
    expect(first.status).toBe(201);
    expect(first.body.conversation).toMatchObject({ kind: 'direct', ownerId: null, customTitle: null });
    expect(first.body.conversation.title).toBe(bob!.user.nickname);
    expect(first.body.conversation.members.map((m: { owner: boolean }) => m.owner)).toEqual([false, false]);
    for (const [who, body] of [
      [alice!, { memberIds: [bob!.user.id, alice!.user.id, bob!.user.id] }],
      [bob!, { memberIds: [alice!.user.id], title: '  ' }],
      [bob!, { memberIds: [alice!.user.id], title: null }],
    ] as const) {
      const again = await who.post('/api/conversations', body);
      expect(again.status).toBe(200);
      expect(again.body.conversation.id).toBe(first.body.conversation.id);
    }
    const bobs = (await bob!.get('/api/conversations')).body.conversations as Conversation[];
    expect(bobs.map((c) => [c.id, c.title])).toEqual([[first.body.conversation.id, alice!.user.nickname]]);
    // With a title it is a group, however many people.
    const titled = await alice!.post('/api/conversations', { memberIds: [bob!.user.id], title: 'Plans' });
    expect(titled.status).toBe(201);
    expect(titled.body.conversation).toMatchObject({ kind: 'group', ownerId: alice!.user.id, title: 'Plans' });
  });

  it('stay one when both sides create it at the same moment', async () => {
    const [alice, bob] = (await people('Alice', 'Bob')) as Person[];
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        i % 2
          ? alice!.post('/api/conversations', { memberIds: [bob!.user.id] })
          : bob!.post('/api/conversations', { memberIds: [alice!.user.id] }),
      ),
    );
    expect(new Set(results.map((r) => r.body.conversation.id)).size).toBe(1);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
  });

  it('cannot be renamed, closed, grown, left, rid of members or given an owner (409 direct_conversation)', async () => {
    const [alice, bob, carol] = (await people('Alice', 'Bob', 'Carol')) as Person[];
    const c = (await alice!.post('/api/conversations', { memberIds: [bob!.user.id] })).body.conversation;
    const url = `/api/conversations/${c.id}`;
    for (const res of [
      await alice!.patch(url, { title: 'Ours' }),
      await alice!.patch(url, { ownerId: bob!.user.id }),
      await alice!.post(`${url}/close`, {}),
      await alice!.post(`${url}/members`, { userIds: [carol!.user.id] }),
      await del(alice!, `${url}/members/${alice!.user.id}`),
      await del(bob!, `${url}/members/${alice!.user.id}`),
    ]) {
      expectError(res, 409, 'direct_conversation');
    }
    // Nothing was written: no system entry, no number taken.
    expect((await alice!.get(url)).body.conversation.seq).toBe(0);
    // Still a conversation like any other otherwise.
    expect((await bob!.post(`${url}/messages`, { content: 'hi' })).status).toBe(201);
  });

  it('show each side the other’s current nickname, and titles follow nickname changes', async () => {
    const [alice, bob, carol] = (await people('Alice', 'Bob', 'Carol')) as Person[];
    const direct = (await alice!.post('/api/conversations', { memberIds: [bob!.user.id] })).body.conversation;
    const group = await startConversation(alice!, [bob!, carol!]);
    const renamed = `Robert${bob!.user.id}`;
    expect((await bob!.patch('/api/auth/me', { nickname: renamed })).status).toBe(200);
    expect((await alice!.get(`/api/conversations/${direct.id}`)).body.conversation.title).toBe(renamed);
    expect((await alice!.get(`/api/conversations/${group.id}`)).body.conversation.title).toBe(
      `${renamed}, ${carol!.user.nickname}`,
    );
    expect((await carol!.get(`/api/conversations/${group.id}`)).body.conversation.title).toBe(
      `${alice!.user.nickname}, ${renamed}`,
    );
    // Alone in an untitled group, you see your own nickname.
    await bob!.delete(`/api/conversations/${group.id}/members/${bob!.user.id}`);
    await carol!.delete(`/api/conversations/${group.id}/members/${carol!.user.id}`);
    expect((await alice!.get(`/api/conversations/${group.id}`)).body.conversation.title).toBe(alice!.user.nickname);
  });
});

describe('adding members', () => {
  it('lets the owner add people, who see the whole history, start with nothing unread and join the room live', async () => {
    const { alice, bob, carol, dave, id, url } = await team();
    const [aliceSocket, daveSocket] = [await open(alice), await open(dave)];
    const toDave = collect(daveSocket, 'conversation:new');
    const updates = collect(aliceSocket, 'conversation:updated');
    const entries = collect(aliceSocket, 'message:new');
    const before = (await alice.get(url)).body.conversation.seq as number;

    const res = await alice.post(`${url}/members`, { userIds: [dave.user.id, bob.user.id] });
    expect(res.status).toBe(200);
    expect(res.body.conversation.members.map((m: { id: number }) => m.id)).toEqual(
      [alice, bob, carol, dave].map((p) => p.user.id),
    );
    // Dave was told, with his own view: the history's newest message already seen.
    await until(() => toDave.length === 1);
    expect(toDave[0]).toMatchObject({ id, unreadCount: 0, unreadMentionCount: 0, seq: before + 2 });
    expect(toDave[0]!.title).toBe('Team');
    expect((await historyOf(dave, url)).map((m) => m.content).slice(0, 3)).toEqual(['one', 'two', 'three']);
    // Two numbers: the change, then its entry, both to the members who were there.
    await until(() => updates.length === 1 && entries.length === 1);
    expect(updates[0]).toMatchObject({ seq: before + 1 });
    expect(entries[0]).toMatchObject({
      seq: before + 2,
      kind: 'system',
      content: '',
      sender: { id: alice.user.id },
      system: { action: 'members_added', userIds: [dave.user.id], title: null },
    });
    // His socket is in the room at once.
    const live = collect(daveSocket, 'message:new');
    await bob.post(`${url}/messages`, { content: 'welcome' });
    await until(() => live.length === 1);
    expect(live[0]!.content).toBe('welcome');
    expect((await dave.get(url)).body.conversation.unreadCount).toBe(1);
    // The system entry never counts as unread, for anyone.
    expect((await carol.get(url)).body.conversation.unreadCount).toBe(4);
  });

  it('writes nothing when nobody is new, and refuses non-owners, unknown users, closed conversations and over 256', async () => {
    const { alice, bob, carol, dave, url } = await team();
    const seq = (await alice.get(url)).body.conversation.seq;
    const same = await alice.post(`${url}/members`, { userIds: [bob.user.id, carol.user.id, alice.user.id] });
    expect(same.status).toBe(200);
    expect(same.body.conversation.seq).toBe(seq);
    expectError(await bob.post(`${url}/members`, { userIds: [dave.user.id] }), 403, 'forbidden');
    expectError(await dave.post(`${url}/members`, { userIds: [dave.user.id] }), 404, 'not_found');
    const unknown = await alice.post(`${url}/members`, { userIds: [dave.user.id, 999_999] });
    expectError(unknown, 400, 'validation_failed');
    expect(unknown.body.error.fields.userIds).toEqual(expect.any(String));
    for (const body of [
      { userIds: [] },
      { userIds: 'all' },
      {},
      { userIds: Array.from({ length: 257 }, (_, i) => i + 1) },
    ]) {
      expectError(await alice.post(`${url}/members`, body), 400, 'validation_failed');
    }
    // 254 more would make 257.
    const { rows } = await file.server.database.pool.query<{ id: number }>(`
      insert into users (email, nickname, password_hash)
      select 'bulk' || g || '-' || ${process.pid} || '@example.test', 'Bulk' || g || '-' || ${process.pid}, 'x'
      from generate_series(1, 254) g returning id`);
    const tooMany = await alice.post(`${url}/members`, { userIds: rows.map((r) => r.id) });
    expectError(tooMany, 400, 'validation_failed');
    expect((await alice.get(url)).body.conversation.members).toHaveLength(3);
    expect((await alice.post(`${url}/members`, { userIds: rows.slice(1).map((r) => r.id) })).status).toBe(200);
    expect((await alice.get(url)).body.conversation.members).toHaveLength(256);
    expect((await alice.get(url)).body.conversation.seq).toBe(seq + 2);

    expect((await alice.post(`${url}/close`, {})).status).toBe(200);
    expectError(await alice.post(`${url}/members`, { userIds: [dave.user.id] }), 409, 'conversation_closed');
  });
});

describe('removing members and leaving', () => {
  it('lets the owner remove someone: their socket leaves the room, they are told, and everything answers 404', async () => {
    const { alice, bob, carol, id, url } = await team();
    const carolSocket = await open(carol);
    await until(async () => (await file.server.app.io.in(`conversation:${id}`).fetchSockets()).length === 1);
    const removed = collect(carolSocket, 'conversation:removed');
    const messages = collect(carolSocket, 'message:new');
    const updated = collect(carolSocket, 'conversation:updated');

    expectError(await del(bob, `${url}/members/${carol.user.id}`), 403, 'forbidden');
    const res = await del(alice, `${url}/members/${carol.user.id}`);
    expect(res.status).toBe(204);
    // Out of the room when the answer comes.
    expect((await file.server.app.io.in(`conversation:${id}`).fetchSockets()).map((s) => s.id)).not.toContain(
      carolSocket.id,
    );
    await until(() => removed.length === 1);
    expect(removed).toEqual([{ conversationId: id }]);
    await bob.post(`${url}/messages`, { content: 'after Carol' });
    await bob.patch(url, { title: 'Renamed' }).then((r) => expect(r.status).toBe(403));
    // Barrier: a conversation Carol is in, created after; by then anything of the old room would be here.
    const barrier = new Promise((resolve) => carolSocket.once('conversation:new', resolve));
    await startConversation(bob, [carol], 'Barrier');
    await barrier;
    expect(messages).toEqual([]);
    expect(updated).toEqual([]);

    const missing = await carol.get('/api/conversations/987654');
    for (const r of [
      await carol.get(url),
      await carol.get(`${url}/messages`),
      await carol.get(`${url}/events?after=0`),
      await carol.post(`${url}/messages`, { content: 'still here?' }),
      await carol.post(`${url}/seen`, { upToMessageId: 1 }),
      await carol.put(`${url}/mute`),
      await del(carol, `${url}/members/${carol.user.id}`),
    ]) {
      expect(r.status).toBe(404);
      expect(r.body).toEqual(missing.body);
    }
    expect(
      ((await carol.get('/api/conversations')).body.conversations as Conversation[]).map((c) => c.id),
    ).not.toContain(id);
    const history = await historyOf(alice, url);
    expect(systemOf(history)).toEqual([
      [alice.user.id, { action: 'member_removed', userIds: [carol.user.id], title: null }],
    ]);
    expectError(await del(alice, `${url}/members/${carol.user.id}`), 404, 'not_found');
  });

  it('lets anyone leave, closed or not; an owner who leaves hands the group to who joined first; the last one out deletes it', async () => {
    const { alice, bob, carol, dave, id, url } = await team();
    expect((await alice.post(`${url}/members`, { userIds: [dave.user.id] })).status).toBe(200);
    const [bobSocket] = [await open(bob)];
    const updates = collect(bobSocket, 'conversation:updated');
    const entries = collect(bobSocket, 'message:new');
    const seq = (await bob.get(url)).body.conversation.seq as number;

    // Alice leaves: of those who joined first (Bob and Carol, at creation, before Dave) the lowest id inherits.
    const [heir, other] = [bob, carol].sort((x, y) => x.user.id - y.user.id) as [Person, Person];
    expect((await del(alice, `${url}/members/${alice.user.id}`)).status).toBe(204);
    await until(() => entries.length === 2);
    expect(updates.map((u) => u.seq)).toEqual([seq + 1, seq + 3]);
    expect(entries.map((e) => [e.seq, e.sender.id, e.system])).toEqual([
      [seq + 2, alice.user.id, { action: 'member_left', userIds: [alice.user.id], title: null }],
      [seq + 4, alice.user.id, { action: 'owner_changed', userIds: [heir.user.id], title: null }],
    ]);
    const now = (await bob.get(url)).body.conversation as Conversation;
    expect(now.ownerId).toBe(heir.user.id);
    expect(now.members.map((m) => [m.id, m.owner])).toEqual([
      [bob.user.id, bob === heir],
      [carol.user.id, carol === heir],
      [dave.user.id, false],
    ]);
    expectError(await alice.get(url), 404, 'not_found');

    // Closed: nobody may remove anyone else, everyone may still leave.
    expect((await heir.post(`${url}/close`, {})).status).toBe(200);
    expectError(await del(heir, `${url}/members/${other.user.id}`), 409, 'conversation_closed');
    expect((await del(other, `${url}/members/${other.user.id}`)).status).toBe(204);
    expect((await del(heir, `${url}/members/${heir.user.id}`)).status).toBe(204);
    expect((await dave.get(url)).body.conversation).toMatchObject({
      ownerId: dave.user.id,
      members: [{ id: dave.user.id, owner: true }],
    });
    // Its custom title stays whoever is left.
    expect((await dave.get(url)).body.conversation.title).toBe('Team');
    expect((await del(dave, `${url}/members/${dave.user.id}`)).status).toBe(204);
    const { rows } = await file.server.database.pool.query('select id from conversations where id = $1', [id]);
    expect(rows).toEqual([]);
  });
});

describe('ownership', () => {
  it('passes on PATCH ownerId to a member, with its entry; the old owner then has no owner rights', async () => {
    const { alice, bob, carol, dave, url } = await team();
    expectError(await bob.patch(url, { ownerId: bob.user.id }), 403, 'forbidden');
    const notMember = await alice.patch(url, { ownerId: dave.user.id });
    expectError(notMember, 400, 'validation_failed');
    expect(notMember.body.error.fields.ownerId).toEqual(expect.any(String));
    const res = await alice.patch(url, { ownerId: carol.user.id });
    expect(res.status).toBe(200);
    expect(res.body.conversation.ownerId).toBe(carol.user.id);
    expect(
      res.body.conversation.members.filter((m: { owner: boolean }) => m.owner).map((m: { id: number }) => m.id),
    ).toEqual([carol.user.id]);
    const seq = res.body.conversation.seq;
    expect((await alice.patch(url, { ownerId: carol.user.id })).status).toBe(403);
    expect((await carol.patch(url, { ownerId: carol.user.id })).body.conversation.seq).toBe(seq);
    expectError(await alice.post(`${url}/close`, {}), 403, 'forbidden');
    expect(systemOf(await historyOf(bob, url))).toEqual([
      [alice.user.id, { action: 'owner_changed', userIds: [carol.user.id], title: null }],
    ]);
    // A title and an owner in one request: two changes, each with its entry.
    const both = await carol.patch(url, { title: 'Both', ownerId: bob.user.id });
    expect(both.body.conversation).toMatchObject({ title: 'Both', ownerId: bob.user.id, seq: seq + 4 });
  });
});

describe('mute', () => {
  it('is personal and idempotent, tells every socket of the caller, takes no number and keeps counting unread', async () => {
    const { alice, bob, id, url } = await team();
    const [one, two, bobs] = [await open(alice), await open(alice), await open(bob)];
    const settings = [one, two, bobs].map((s) => collect(s, 'conversation:settings'));
    const seq = (await alice.get(url)).body.conversation.seq;
    for (let i = 0; i < 2; i++) {
      const res = await alice.put(`${url}/mute`);
      expect(res.status).toBe(200);
      expect(res.body.conversation).toMatchObject({ muted: true, seq });
    }
    await until(() => settings[0]!.length === 2 && settings[1]!.length === 2);
    expect(settings[0]![0]).toEqual({ conversationId: id, muted: true });
    expect((await bob.get(url)).body.conversation.muted).toBe(false);
    await bob.post(`${url}/messages`, { content: 'still counted' });
    expect((await alice.get(url)).body.conversation).toMatchObject({ muted: true, unreadCount: 4 });
    const off = await del(alice, `${url}/mute`);
    expect(off.body.conversation.muted).toBe(false);
    await until(() => settings[0]!.length === 3);
    expect(settings[0]![2]).toEqual({ conversationId: id, muted: false });
    expect(settings[2]).toEqual([]);
  });
});

describe('mentions', () => {
  it('are worked out on send and edit from the members’ nicknames and counted in unreadMentionCount', async () => {
    const { alice, bob, carol, dave, url } = await team();
    const send = async (content: string) => (await alice.post(`${url}/messages`, { content })).body.message as Message;
    expect((await send(`hi @${bob.user.nickname.toUpperCase()} and @${dave.user.nickname}`)).mentions).toEqual([
      bob.user.id,
    ]);
    expect((await send(`mail ${carol.user.nickname}@example.com, \`@${carol.user.nickname}\``)).mentions).toEqual([]);
    const m = await send(`@${carol.user.nickname}, look`);
    expect(m.mentions).toEqual([carol.user.id]);
    expect((await bob.get(url)).body.conversation).toMatchObject({ unreadCount: 3, unreadMentionCount: 1 });
    expect((await carol.get(url)).body.conversation.unreadMentionCount).toBe(1);

    const edited = await alice.patch(`${url}/messages/${m.id}`, {
      content: `@${carol.user.nickname} and @${bob.user.nickname}!`,
    });
    expect(edited.body.message.mentions).toEqual([carol.user.id, bob.user.id]);
    expect((await bob.get(url)).body.conversation.unreadMentionCount).toBe(2);
    expect((await alice.get(`${url}/messages?around=${m.id}&limit=1`)).body.messages[0].mentions).toEqual([
      carol.user.id,
      bob.user.id,
    ]);
    // Seen, they are no longer unread; a tombstone keeps no mentions.
    await bob.post(`${url}/seen`, { upToMessageId: m.id });
    expect((await bob.get(url)).body.conversation).toMatchObject({ unreadCount: 0, unreadMentionCount: 0 });
    const tombstone = await del(alice, `${url}/messages/${m.id}`);
    expect(tombstone.body.message.mentions).toEqual([]);
    // Your own mention of yourself is never unread.
    await send(`note to self @${alice.user.nickname}`);
    expect((await alice.get(url)).body.conversation.unreadMentionCount).toBe(0);
  });

  it('reach only current members: a removed person is no mention any more', async () => {
    const { alice, carol, url } = await team();
    expect((await del(alice, `${url}/members/${carol.user.id}`)).status).toBe(204);
    const m = (await alice.post(`${url}/messages`, { content: `@${carol.user.nickname} gone?` })).body.message;
    expect(m.mentions).toEqual([]);
  });
});

describe('system entries', () => {
  it('are written by every change, each in the log right after its conversation:updated', async () => {
    const { alice, dave, url } = await team();
    await alice.post(`${url}/members`, { userIds: [dave.user.id] });
    await alice.patch(url, { title: 'New name' });
    await alice.patch(url, { title: '' });
    await alice.post(`${url}/close`, {});
    const history = await historyOf(alice, url);
    expect(systemOf(history).map(([, s]) => s)).toEqual([
      { action: 'members_added', userIds: [dave.user.id], title: null },
      { action: 'renamed', userIds: [], title: 'New name' },
      { action: 'renamed', userIds: [], title: null },
      { action: 'closed', userIds: [], title: null },
    ]);
    // The events of the log name them too, each right after its conversation:updated.
    const events = (await alice.get(`${url}/events?after=3`)).body.events as ConversationEvent[];
    expect(events.map((e) => e.type)).toEqual(
      Array.from({ length: 4 }, () => ['conversation:updated', 'message:new']).flat(),
    );
  });
});
