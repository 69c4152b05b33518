import { describe, expect, it } from 'vitest';
import { aliceAndBob } from './support/fixtures.ts';
import { apiForThisFile, Client, signUp } from './support/test-app.ts';

const file = apiForThisFile();

describe('contacts', () => {
  it('lists every other user whose nickname contains q, by nickname, with presence for contacts', async () => {
    const me = await signUp(file.server, 'Zed');
    const a = await signUp(file.server, 'Mira');
    const b = await signUp(file.server, 'amir');
    await me.post('/api/conversations', { memberIds: [b.user.id] });
    const res = await me.get('/api/users?q=MIR');
    expect(res.status).toBe(200);
    const ids = res.body.users.map((u: { id: number }) => u.id);
    expect(ids).toEqual([b.user.id, a.user.id]);
    // Presence only for someone who shares a conversation (API.md, Users).
    expect(res.body.users[0]).toEqual({ id: b.user.id, nickname: b.user.nickname, online: false });
    expect(res.body.users[1]).toEqual({ id: a.user.id, nickname: a.user.nickname });
    const all = await me.get('/api/users?limit=100');
    expect(all.body.users.map((u: { id: number }) => u.id)).not.toContain(me.user.id);
    expect((await me.get('/api/users?q=%25')).body.users).toEqual([]);
    expect((await me.get('/api/users?limit=0')).status).toBe(400);
    expect((await me.get('/api/users?limit=101')).status).toBe(400);
  });
});

describe('creating a conversation', () => {
  it('adds the caller as the one owner and builds the title from nicknames', async () => {
    const alice = await signUp(file.server, 'Alice');
    const bob = await signUp(file.server, 'Bob');
    const carol = await signUp(file.server, 'Carol');
    const res = await alice.post('/api/conversations', {
      title: '   ',
      memberIds: [carol.user.id, bob.user.id, carol.user.id, alice.user.id],
    });
    expect(res.status).toBe(201);
    const c = res.body.conversation;
    expect(c.title).toBe(`${alice.user.nickname}, ${carol.user.nickname}, ${bob.user.nickname}`);
    expect(c.ownerId).toBe(alice.user.id);
    expect(c.members).toEqual([
      { id: alice.user.id, nickname: alice.user.nickname, owner: true, joinedAt: c.createdAt },
      { id: carol.user.id, nickname: carol.user.nickname, owner: false, joinedAt: c.createdAt },
      { id: bob.user.id, nickname: bob.user.nickname, owner: false, joinedAt: c.createdAt },
    ]);
    expect(c).toMatchObject({ closedAt: null, lastMessage: null, unreadCount: 0, seq: 0 });
    expect(c.lastActivityAt).toBe(c.createdAt);
    const seenByBob = await bob.get(`/api/conversations/${c.id}`);
    expect(seenByBob.status).toBe(200);
    expect(seenByBob.body.conversation.id).toBe(c.id);
  });

  it('keeps a given title, trimmed', async () => {
    const alice = await signUp(file.server, 'Alice');
    const bob = await signUp(file.server, 'Bob');
    const res = await alice.post('/api/conversations', {
      title: '  Weekend plans ',
      memberIds: [bob.user.id],
    });
    expect(res.body.conversation.title).toBe('Weekend plans');
  });

  it('needs another existing member and at most 256 members', async () => {
    const alice = await signUp(file.server, 'Alice');
    for (const body of [
      { memberIds: [] },
      { memberIds: [alice.user.id] },
      { memberIds: [999_999] },
      { memberIds: 'everyone' },
      { memberIds: Array.from({ length: 257 }, (_, i) => i + 1) },
      { memberIds: [2], title: 'x'.repeat(101) },
    ]) {
      const res = await alice.post('/api/conversations', body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await alice.get('/api/conversations')).body.conversations).toEqual([]);
  });
});

describe('reading conversations', () => {
  it('lists the caller’s conversations, newest activity first', async () => {
    const alice = await signUp(file.server, 'Alice');
    const bob = await signUp(file.server, 'Bob');
    const first = (await alice.post('/api/conversations', { memberIds: [bob.user.id], title: 'first' })).body
      .conversation;
    const second = (await alice.post('/api/conversations', { memberIds: [bob.user.id], title: 'second' })).body
      .conversation;
    let list = (await bob.get('/api/conversations')).body.conversations;
    expect(list.map((c: { id: number }) => c.id)).toEqual([second.id, first.id]);
    await alice.post(`/api/conversations/${first.id}/messages`, { content: 'bump' });
    list = (await bob.get('/api/conversations')).body.conversations;
    expect(list.map((c: { id: number }) => c.id)).toEqual([first.id, second.id]);
    expect(list[0].lastMessage.content).toBe('bump');
    expect(list[0].unreadCount).toBe(1);
    expect(list[0].lastActivityAt).toBe(list[0].lastMessage.createdAt);
  });

  it('answers 404 to a non-member, exactly as for a conversation that does not exist', async () => {
    const alice = await signUp(file.server, 'Alice');
    const bob = await signUp(file.server, 'Bob');
    const dave = await signUp(file.server, 'Dave');
    const c = (await alice.post('/api/conversations', { memberIds: [bob.user.id] })).body.conversation;
    const missing = await dave.get('/api/conversations/987654');
    for (const res of [
      await dave.get(`/api/conversations/${c.id}`),
      await dave.patch(`/api/conversations/${c.id}`, { title: 'mine now' }),
      await dave.post(`/api/conversations/${c.id}/close`, {}),
      await dave.get(`/api/conversations/${c.id}/messages`),
      await dave.post(`/api/conversations/${c.id}/messages`, { content: 'hi' }),
      await dave.post(`/api/conversations/${c.id}/seen`, { upToMessageId: 1 }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual(missing.body);
    }
    expect((await dave.get('/api/conversations')).body.conversations).toEqual([]);
    expect((await dave.get('/api/conversations/abc')).status).toBe(400);
  });
});

describe('owner controls', () => {
  it('lets only the owner rename and close; a closed conversation refuses changes and messages', async () => {
    const { alice, bob, conversation: c } = await aliceAndBob(file.server);
    const url = `/api/conversations/${c.id}`;

    expect((await bob.patch(url, { title: 'Bob’s' })).status).toBe(403);
    expect((await bob.post(`${url}/close`, {})).status).toBe(403);
    expect((await alice.patch(url, { title: '  ' })).status).toBe(400);
    const renamed = await alice.patch(url, { title: 'Renamed' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.conversation.title).toBe('Renamed');

    const closed = await alice.post(`${url}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body.conversation.closedAt).toEqual(expect.any(String));
    expect((await alice.post(`${url}/close`, {})).body.error.code).toBe('conversation_closed');
    expect((await alice.patch(url, { title: 'Again' })).status).toBe(409);
    const send = await bob.post(`${url}/messages`, { content: 'too late' });
    expect(send.status).toBe(409);
    expect(send.body.error.code).toBe('conversation_closed');
    // History stays readable.
    expect((await bob.get(`${url}/messages`)).status).toBe(200);
  });

  it('refuses an unauthenticated caller', async () => {
    expect((await new Client(file.server.url).patch('/api/conversations/1', { title: 'x' })).status).toBe(401);
  });
});

describe('edge cases', () => {
  it('cuts a long generated title at a whole nickname and accepts a null title', async () => {
    const alice = await signUp(file.server, 'Alice');
    const others = await Promise.all(Array.from({ length: 12 }, () => signUp(file.server, 'Longnicknamedperson')));
    const res = await alice.post('/api/conversations', { title: null, memberIds: others.map((o) => o.user.id) });
    expect(res.status).toBe(201);
    const title: string = res.body.conversation.title;
    expect(title.length).toBeLessThanOrEqual(100);
    expect(title, title).toMatch(/, …$/);
    const names = title.slice(0, -3).split(', ');
    expect(names[0]).toBe(alice.user.nickname);
    for (const name of names.slice(1)) expect(others.map((o) => o.user.nickname)).toContain(name);
  });

  it('answers 400, not 500, to ids past the database’s integer range', async () => {
    const { alice, conversation: c } = await aliceAndBob(file.server);
    for (const res of [
      await alice.post('/api/conversations', { memberIds: [3_000_000_000] }),
      await alice.get(`/api/conversations/${c.id}/messages?after=3000000000`),
      await alice.get('/api/conversations/3000000000'),
      await alice.post(`/api/conversations/${c.id}/seen`, { upToMessageId: 3_000_000_000 }),
      await alice.post(`/api/conversations/${c.id}/messages`, { content: 'nul \u0000 byte' }),
    ]) {
      expect(res.status).toBe(400);
    }
  });
});
