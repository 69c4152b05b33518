import { describe, expect, it } from 'vitest';
import { aliceAndBob } from './support/fixtures.ts';
import { apiForThisFile } from './support/test-app.ts';

const file = apiForThisFile();

const pair = () => aliceAndBob(file.server);

/** Inserts `count` messages straight into the database (history fixtures, not the API under test). */
async function seed(conversationId: number, senderId: number, count: number) {
  await file.server.database.pool.query(
    `with c as (update conversations set last_seq = last_seq + $3 where id = $1 returning last_seq - $3 as base)
     insert into messages (conversation_id, seq, sender_id, content)
     select $1, c.base + g, $2, 'message ' || (c.base + g) from c, generate_series(1, $3) g`,
    [conversationId, senderId, count],
  );
}

describe('sending', () => {
  it('stores a message with the next seq and answers 201', async () => {
    const { alice, url, id } = await pair();
    const res = await alice.post(`${url}/messages`, { content: '  Hello\nthere  ', clientId: 'c-1' });
    expect(res.status).toBe(201);
    expect(res.body.message).toMatchObject({
      conversationId: id,
      seq: 1,
      sender: { id: alice.user.id, nickname: alice.user.nickname },
      content: 'Hello\nthere',
      clientId: 'c-1',
      seenBy: [],
    });
    const second = await alice.post(`${url}/messages`, { content: 'again' });
    expect(second.body.message).toMatchObject({ seq: 2, clientId: null });
  });

  it('stores a retried clientId once and answers 200 with the original', async () => {
    const { alice, url } = await pair();
    const first = await alice.post(`${url}/messages`, { content: 'once', clientId: 'retry-me' });
    const again = await alice.post(`${url}/messages`, { content: 'once', clientId: 'retry-me' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.message).toEqual(first.body.message);
    const racing = await Promise.all(
      [1, 2, 3, 4].map(() => alice.post(`${url}/messages`, { content: 'race', clientId: 'race-me' })),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    const history = (await alice.get(`${url}/messages`)).body.messages;
    expect(history.map((m: { seq: number }) => m.seq)).toEqual([1, 2]);
  });

  it('validates content and clientId', async () => {
    const { alice, url } = await pair();
    for (const body of [
      {},
      { content: '   ' },
      { content: 'x'.repeat(4001) },
      { content: 'ok', clientId: '' },
      { content: 5 },
    ]) {
      const res = await alice.post(`${url}/messages`, body);
      expect(res.status).toBe(400);
    }
    expect((await alice.post(`${url}/messages`, { content: 'x'.repeat(4000) })).status).toBe(201);
    expect((await alice.get(`${url}/messages`)).body.messages).toHaveLength(1);
  });

  it('limits messages per user with 429, yet never refuses a retry of a stored one', async () => {
    const { alice, url } = await pair();
    alice.baseUrl = (await file.replica({ SEND_RATE_LIMIT: 3 })).url;
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await alice.post(`${url}/messages`, { content: `m${i}`, clientId: `l${i}` })).status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    const retry = await alice.post(`${url}/messages`, { content: 'm0', clientId: 'l0' });
    expect(retry.status).toBe(200);
  });
});

describe('history', () => {
  it('pages backwards with before= and forwards with after=', async () => {
    const { alice, url, id } = await pair();
    await seed(id, alice.user.id, 120);
    const newest = (await alice.get(`${url}/messages`)).body;
    expect(newest.messages).toHaveLength(50);
    expect(newest.messages[0].seq).toBe(71);
    expect(newest.messages.at(-1).seq).toBe(120);
    expect(newest.hasMore).toBe(true);

    const older = (await alice.get(`${url}/messages?before=${newest.messages[0].id}&limit=100`)).body;
    expect(older.messages.map((m: { seq: number }) => m.seq)).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
    expect(older.hasMore).toBe(false);

    const after = (await alice.get(`${url}/messages?after=${older.messages[9].id}&limit=20`)).body;
    expect(after.messages.map((m: { seq: number }) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 11));
    expect(after.hasMore).toBe(true);
    const tail = (await alice.get(`${url}/messages?after=${newest.messages[40].id}`)).body;
    expect(tail.messages).toHaveLength(9);
    expect(tail.hasMore).toBe(false);
    expect((await alice.get(`${url}/messages?after=0&limit=1`)).body.messages[0].seq).toBe(1);
  });

  it('refuses before and after together, and malformed cursors', async () => {
    const { alice, url } = await pair();
    for (const q of ['before=5&after=2', 'before=abc', 'limit=101', 'limit=0', 'after=-1']) {
      const res = await alice.get(`${url}/messages?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });
});

describe('seen', () => {
  it('marks others’ messages up to an id once, keeps the first time, and drives unread counts', async () => {
    const { alice, bob, url } = await pair();
    const ids: number[] = [];
    for (const content of ['one', 'two', 'three'])
      ids.push((await alice.post(`${url}/messages`, { content })).body.message.id);
    const own = (await bob.post(`${url}/messages`, { content: 'mine' })).body.message.id;
    const unread = async () => (await bob.get(url)).body.conversation.unreadCount;
    expect(await unread()).toBe(3);
    expect((await alice.get(url)).body.conversation.unreadCount).toBe(1);

    const first = await bob.post(`${url}/seen`, { upToMessageId: ids[1] });
    expect(first.status).toBe(200);
    expect(first.body.messageIds).toEqual([ids[0], ids[1]]);
    expect(await unread()).toBe(1);

    const again = await bob.post(`${url}/seen`, { upToMessageId: ids[1] });
    expect(again.body.messageIds).toEqual([]);

    const rest = await bob.post(`${url}/seen`, { upToMessageId: own + 1000 });
    expect(rest.body.messageIds).toEqual([ids[2]]);
    expect(await unread()).toBe(0);

    const history = (await alice.get(`${url}/messages`)).body.messages;
    const seenAt = history.find((m: { id: number }) => m.id === ids[0]).seenBy;
    expect(seenAt).toEqual([{ userId: bob.user.id, seenAt: first.body.seenAt }]);
    // Bob's own message is never marked seen by him.
    expect(history.find((m: { id: number }) => m.id === own).seenBy).toEqual([]);
    // A message sent after the big upToMessageId still counts as unread.
    await alice.post(`${url}/messages`, { content: 'later' });
    expect(await unread()).toBe(1);
  });

  it('validates its body', async () => {
    const { bob, url } = await pair();
    for (const body of [{}, { upToMessageId: 0 }, { upToMessageId: 'x' }]) {
      expect((await bob.post(`${url}/seen`, body)).status).toBe(400);
    }
  });
});
