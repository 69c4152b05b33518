import type { Message } from '@parley/contracts';
import { describe, expect, it } from 'vitest';
import { startConversation } from './support/fixtures.ts';
import { apiForThisFile, Client, signUp } from './support/test-app.ts';

const file = apiForThisFile();

/**
 * Given a group owned by Alice with Bob and Carol, Dave outside it, and a message of Bob's: every
 * route is tried as the non-member (Dave), a member (Carol), the sender (Bob) and the owner (Alice).
 */
async function group() {
  const [alice, bob, carol, dave] = await Promise.all(
    ['Alice', 'Bob', 'Carol', 'Dave'].map((n) => signUp(file.server, n)),
  );
  const c = await startConversation(alice!, [bob!, carol!]);
  const url = `/api/conversations/${c.id}`;
  const message: Message = (await bob!.post(`${url}/messages`, { content: 'Hello **there**' })).body.message;
  return { alice: alice!, bob: bob!, carol: carol!, dave: dave!, id: c.id, url, message };
}

const seqOf = async (client: Client, url: string): Promise<number> => (await client.get(url)).body.conversation.seq;
const put = (client: Client, path: string) => client.put(path);
const del = (client: Client, path: string) => client.delete(path);
const reaction = (url: string, messageId: number, emoji: string) =>
  `${url}/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`;

function expectError(res: { status: number; body: any }, status: number, code: string) {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
}

describe('editing', () => {
  it('lets only the sender edit, answers the new content with editedAt, and shows it in history', async () => {
    const { alice, bob, carol, dave, url, message } = await group();
    const path = `${url}/messages/${message.id}`;
    expectError(await dave.patch(path, { content: 'mine now' }), 404, 'not_found');
    expectError(await carol.patch(path, { content: 'mine now' }), 403, 'forbidden');
    expectError(await alice.patch(path, { content: 'mine now' }), 403, 'forbidden');
    const before = await seqOf(bob, url);
    const res = await bob.patch(path, { content: '  Hello *again*  ' });
    expect(res.status).toBe(200);
    expect(res.body.message).toMatchObject({ id: message.id, seq: message.seq, content: 'Hello *again*' });
    expect(res.body.message.editedAt).toEqual(expect.any(String));
    expect(await seqOf(bob, url)).toBe(before + 1);
    const history = (await carol.get(`${url}/messages`)).body.messages;
    expect(history).toEqual([res.body.message]);
  });

  it('answers 200 and changes nothing for the same content', async () => {
    const { bob, url, message } = await group();
    const before = await seqOf(bob, url);
    const res = await bob.patch(`${url}/messages/${message.id}`, { content: ' Hello **there** ' });
    expect(res.status).toBe(200);
    expect(res.body.message).toEqual(message);
    expect(await seqOf(bob, url)).toBe(before);
  });

  it('validates the content and the ids', async () => {
    const { bob, url, message } = await group();
    for (const body of [
      {},
      { content: '  ' },
      { content: 'x'.repeat(4001) },
      { content: 7 },
      { content: 'a\u0000b' },
    ]) {
      expectError(await bob.patch(`${url}/messages/${message.id}`, body), 400, 'validation_failed');
    }
    expectError(await bob.patch(`${url}/messages/abc`, { content: 'x' }), 400, 'validation_failed');
    expectError(await bob.patch(`${url}/messages/99999999`, { content: 'x' }), 404, 'not_found');
  });

  it('finds a message only in its own conversation', async () => {
    const { bob, carol, message } = await group();
    const other = (await bob.post('/api/conversations', { memberIds: [carol.user.id] })).body.conversation;
    expectError(
      await bob.patch(`/api/conversations/${other.id}/messages/${message.id}`, { content: 'x' }),
      404,
      'not_found',
    );
    expectError(await put(bob, reaction(`/api/conversations/${other.id}`, message.id, '👍')), 404, 'not_found');
    expectError(await del(bob, `/api/conversations/${other.id}/messages/${message.id}`), 404, 'not_found');
  });
});

describe('deleting', () => {
  it('lets the sender delete, erasing the content and reactions from the database, and twice is the tombstone', async () => {
    const { bob, carol, dave, url, message } = await group();
    await put(carol, reaction(url, message.id, '👍'));
    const path = `${url}/messages/${message.id}`;
    expectError(await del(dave, path), 404, 'not_found');
    expectError(await del(carol, path), 403, 'forbidden');
    const res = await del(bob, path);
    expect(res.status).toBe(200);
    expect(res.body.message).toMatchObject({ id: message.id, content: '', reactions: [], replyTo: null });
    expect(res.body.message.deletedAt).toEqual(expect.any(String));
    const stored = await file.server.database.pool.query(
      `select content, (select count(*)::int from message_reactions where message_id = $1) as reactions
       from messages where id = $1`,
      [message.id],
    );
    expect(stored.rows).toEqual([{ content: '', reactions: 0 }]);
    const before = await seqOf(bob, url);
    const again = await del(bob, path);
    expect(again.status).toBe(200);
    expect(again.body.message).toEqual(res.body.message);
    expect(await seqOf(bob, url)).toBe(before);
    expect((await carol.get(`${url}/messages`)).body.messages).toEqual([res.body.message]);
  });

  it('lets the owner delete anyone’s message', async () => {
    const { alice, url, message } = await group();
    const res = await del(alice, `${url}/messages/${message.id}`);
    expect(res.status).toBe(200);
    expect(res.body.message.deletedAt).toEqual(expect.any(String));
  });

  it('refuses edits and reactions on a tombstone with 409 message_deleted', async () => {
    const { bob, carol, url, message } = await group();
    await del(bob, `${url}/messages/${message.id}`);
    expectError(await bob.patch(`${url}/messages/${message.id}`, { content: 'back' }), 409, 'message_deleted');
    expectError(await put(carol, reaction(url, message.id, '👍')), 409, 'message_deleted');
    expectError(await del(carol, reaction(url, message.id, '👍')), 409, 'message_deleted');
  });
});

describe('reactions', () => {
  it('orders emoji by first added and users by when they reacted; adding twice or removing nothing changes nothing', async () => {
    const { alice, bob, carol, dave, url, message } = await group();
    expectError(await put(dave, reaction(url, message.id, '👍')), 404, 'not_found');
    expect((await put(carol, reaction(url, message.id, '👍'))).status).toBe(200);
    await put(bob, reaction(url, message.id, '🎉'));
    const res = await put(alice, reaction(url, message.id, '👍'));
    expect(res.status).toBe(200);
    expect(res.body.message.reactions).toEqual([
      { emoji: '👍', userIds: [carol.user.id, alice.user.id] },
      { emoji: '🎉', userIds: [bob.user.id] },
    ]);
    const before = await seqOf(bob, url);
    expect((await put(carol, reaction(url, message.id, '👍'))).body.message).toEqual(res.body.message);
    expect((await del(dave, reaction(url, message.id, '👍'))).status).toBe(404);
    expect((await del(bob, reaction(url, message.id, '👍'))).body.message).toEqual(res.body.message);
    expect(await seqOf(bob, url)).toBe(before);
    const removed = await del(carol, reaction(url, message.id, '👍'));
    expect(removed.status).toBe(200);
    // 👍 is now Alice's alone, added after 🎉: the order is that of the reactions still there.
    expect(removed.body.message.reactions).toEqual([
      { emoji: '🎉', userIds: [bob.user.id] },
      { emoji: '👍', userIds: [alice.user.id] },
    ]);
    expect(await seqOf(bob, url)).toBe(before + 1);
    const history = (await bob.get(`${url}/messages`)).body.messages;
    expect(history[0].reactions).toEqual(removed.body.message.reactions);
  });

  it('takes any RGI emoji, skin tones and ZWJ sequences included, and refuses anything else with 400', async () => {
    const { carol, url, message } = await group();
    for (const emoji of ['👍🏽', '👨‍👩‍👧', '🏳️‍🌈', '❤️', '🇫🇷']) {
      expect((await put(carol, reaction(url, message.id, emoji))).status).toBe(200);
    }
    for (const emoji of ['a', '👍👍', '👍 ', ':+1:', '\u200d']) {
      expectError(await put(carol, reaction(url, message.id, emoji)), 400, 'validation_failed');
    }
    // Not valid percent-encoding: still a 400, never a 500.
    expectError(await put(carol, `${url}/messages/${message.id}/reactions/%E0%A4%A`), 400, 'validation_failed');
    const reactions = (await carol.get(`${url}/messages`)).body.messages[0].reactions;
    expect(reactions.map((r: { emoji: string }) => r.emoji)).toEqual(['👍🏽', '👨‍👩‍👧', '🏳️‍🌈', '❤️', '🇫🇷']);
  });

  it('allows at most 50 distinct emoji per message (409 too_many_reactions), more people on one of them', async () => {
    const { alice, bob, carol, url, message } = await group();
    // 😀 U+1F600 to 😱 U+1F631: fifty distinct emoji, stored directly as the fixture.
    const fifty = Array.from({ length: 50 }, (_, i) => String.fromCodePoint(0x1f600 + i));
    await file.server.database.pool.query(
      `insert into message_reactions (message_id, emoji, user_id) select $1, unnest($2::text[]), $3`,
      [message.id, fifty, alice.user.id],
    );
    expectError(await put(carol, reaction(url, message.id, '👍')), 409, 'too_many_reactions');
    const more = await put(carol, reaction(url, message.id, fifty[49]!));
    expect(more.status).toBe(200);
    expect(more.body.message.reactions).toHaveLength(50);
    expect(more.body.message.reactions[49]).toEqual({ emoji: fifty[49], userIds: [alice.user.id, carol.user.id] });
    await del(alice, reaction(url, message.id, fifty[0]!));
    expect((await put(bob, reaction(url, message.id, '👍'))).status).toBe(200);
  });
});

describe('a closed conversation', () => {
  it('refuses edits, deletes and reactions with 409 conversation_closed, and still hides itself from others', async () => {
    const { alice, bob, carol, dave, url, message } = await group();
    await put(carol, reaction(url, message.id, '👍'));
    expect((await alice.post(`${url}/close`, {})).status).toBe(200);
    expectError(await bob.patch(`${url}/messages/${message.id}`, { content: 'late' }), 409, 'conversation_closed');
    expectError(await del(bob, `${url}/messages/${message.id}`), 409, 'conversation_closed');
    expectError(await del(alice, `${url}/messages/${message.id}`), 409, 'conversation_closed');
    expectError(await put(carol, reaction(url, message.id, '🎉')), 409, 'conversation_closed');
    expectError(await del(carol, reaction(url, message.id, '👍')), 409, 'conversation_closed');
    expectError(await del(dave, `${url}/messages/${message.id}`), 404, 'not_found');
    expect((await bob.get(`${url}/messages`)).body.messages).toEqual([
      expect.objectContaining({ content: 'Hello **there**', deletedAt: null, editedAt: null }),
    ]);
  });
});

describe('system entries', () => {
  it('cannot be edited, deleted, reacted to (403) or replied to (400)', async () => {
    const { alice, bob, id, url } = await group();
    // Written here directly: the changes that write them come with a later issue.
    const { rows } = await file.server.database.pool.query(
      `with bumped as (update conversations set last_seq = last_seq + 1 where id = $1 returning last_seq)
       insert into messages (conversation_id, seq, kind, sender_id, content)
       select $1, last_seq, 'system', $2, '' from bumped returning id`,
      [id, alice.user.id],
    );
    const entry = rows[0].id as number;
    expectError(await alice.patch(`${url}/messages/${entry}`, { content: 'x' }), 403, 'forbidden');
    expectError(await alice.delete(`${url}/messages/${entry}`), 403, 'forbidden');
    expectError(await put(bob, reaction(url, entry, '👍')), 403, 'forbidden');
    expectError(await del(bob, reaction(url, entry, '👍')), 403, 'forbidden');
    const reply = await bob.post(`${url}/messages`, { content: 're', replyToId: entry });
    expectError(reply, 400, 'validation_failed');
    expect(reply.body.error.fields).toHaveProperty('replyToId');
  });
});

describe('replies', () => {
  it('quote the original as it is now: its first 120 code points, then "" and deleted once it is gone', async () => {
    const { bob, carol, url } = await group();
    // 130 astral characters: 260 UTF-16 units, cut at 120 code points.
    const long = '😀'.repeat(130);
    const original: Message = (await bob.post(`${url}/messages`, { content: long })).body.message;
    const res = await carol.post(`${url}/messages`, { content: 'Agreed', replyToId: original.id });
    expect(res.status).toBe(201);
    expect(res.body.message.replyTo).toEqual({
      id: original.id,
      sender: { id: bob.user.id, nickname: bob.user.nickname },
      excerpt: '😀'.repeat(120),
      deleted: false,
    });
    expect((await carol.get(`${url}/messages?limit=1`)).body.messages[0]).toEqual(res.body.message);

    await bob.patch(`${url}/messages/${original.id}`, { content: 'Shorter now' });
    const edited = (await carol.get(`${url}/messages?limit=1`)).body.messages[0];
    expect(edited.replyTo).toMatchObject({ excerpt: 'Shorter now', deleted: false });

    await bob.delete(`${url}/messages/${original.id}`);
    const deleted = (await carol.get(`${url}/messages?limit=1`)).body.messages[0];
    expect(deleted.replyTo).toEqual({ ...res.body.message.replyTo, excerpt: '', deleted: true });
  });

  it('must name a live message of the same conversation (400 with fields.replyToId), and a non-member gets 404', async () => {
    const { bob, carol, dave, url, message } = await group();
    const elsewhere = (await bob.post('/api/conversations', { memberIds: [carol.user.id] })).body.conversation;
    const foreign = (await bob.post(`/api/conversations/${elsewhere.id}/messages`, { content: 'elsewhere' })).body
      .message;
    const gone = (await bob.post(`${url}/messages`, { content: 'gone soon' })).body.message;
    await bob.delete(`${url}/messages/${gone.id}`);
    const before = await seqOf(bob, url);
    for (const replyToId of [foreign.id, gone.id, 99999999]) {
      const res = await carol.post(`${url}/messages`, { content: 're', replyToId, clientId: `r${replyToId}` });
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.fields).toHaveProperty('replyToId');
    }
    expectError(await carol.post(`${url}/messages`, { content: 're', replyToId: 'x' }), 400, 'validation_failed');
    expectError(await dave.post(`${url}/messages`, { content: 're', replyToId: message.id }), 404, 'not_found');
    expect(await seqOf(bob, url)).toBe(before);
  });
});

describe('history around a message', () => {
  it('answers the page holding it, about half older and half newer, with hasMore and hasMoreAfter', async () => {
    const { bob, carol, dave, url, message } = await group();
    const sent: Message[] = [message];
    for (let i = 1; i < 30; i++) sent.push((await bob.post(`${url}/messages`, { content: `m${i}` })).body.message);
    const ids = sent.map((m) => m.id);
    const middle = await carol.get(`${url}/messages?around=${ids[15]}&limit=10`);
    expect(middle.status).toBe(200);
    expect(middle.body.messages.map((m: Message) => m.id)).toEqual(ids.slice(11, 21));
    expect(middle.body).toMatchObject({ hasMore: true, hasMoreAfter: true });
    expect(middle.body.messages[4]).toEqual(sent[15]);

    const start = (await carol.get(`${url}/messages?around=${ids[1]}&limit=10`)).body;
    expect(start.messages.map((m: Message) => m.id)).toEqual(ids.slice(0, 7));
    expect(start).toMatchObject({ hasMore: false, hasMoreAfter: true });
    const end = (await carol.get(`${url}/messages?around=${ids[29]}`)).body;
    expect(end.messages.map((m: Message) => m.id)).toEqual(ids.slice(5));
    expect(end).toMatchObject({ hasMore: true, hasMoreAfter: false });

    expectError(await carol.get(`${url}/messages?around=${ids[3]}&before=${ids[9]}`), 400, 'validation_failed');
    expectError(await carol.get(`${url}/messages?around=${ids[3]}&after=${ids[1]}`), 400, 'validation_failed');
    expectError(await carol.get(`${url}/messages?around=99999999`), 400, 'validation_failed');
    expectError(await dave.get(`${url}/messages?around=${ids[3]}`), 404, 'not_found');
  });
});

describe('without a session', () => {
  it('every new route answers 401', async () => {
    const { url, message } = await group();
    const anonymous = new Client(file.server.url);
    const path = `${url}/messages/${message.id}`;
    for (const res of [
      await anonymous.patch(path, { content: 'x' }),
      await anonymous.delete(path),
      await anonymous.put(reaction(url, message.id, '👍')),
      await anonymous.delete(reaction(url, message.id, '👍')),
      await anonymous.get(`${url}/events?after=0`),
      await anonymous.get(`${url}/messages?around=${message.id}`),
    ]) {
      expectError(res, 401, 'unauthenticated');
    }
  });
});
