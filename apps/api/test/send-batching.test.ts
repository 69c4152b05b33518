import type { Message } from '@parley/contracts';
import { describe, expect, it } from 'vitest';
import type { NewMessage } from '../src/messages/queries.ts';
import { createSendQueue, nextBatch } from '../src/messages/send-queue.ts';
import { aliceAndBob, startConversation } from './support/fixtures.ts';
import { apiForThisFile, collect, connected, signUp, until } from './support/test-app.ts';
import { images, upload } from './support/uploads.ts';

const file = apiForThisFile();

const plain = (conversationId: number, senderId: number, content: string): NewMessage => ({
  conversationId,
  senderId,
  content,
  clientId: null,
  replyToId: null,
  mentions: [],
  attachmentIds: [],
});

/**
 * A queue on the test's database whose batches are recorded: every send handed to it before the
 * first statement answers is queued behind it, so the rest go as one batch.
 */
function recordingQueue() {
  const batches: Message[][] = [];
  // On the pool production gives it, whose connections keep one plan per statement (ADR 052).
  const queue = createSendQueue(file.server.database.planned.pool, (stored) => batches.push(stored), console);
  return { queue, batches };
}

describe('a batch of sends', () => {
  it('runs on connections that plan each statement once, not on every send', async () => {
    const { rows } = await file.server.database.planned.pool.query<{ plan_cache_mode: string }>('show plan_cache_mode');
    expect(rows[0]?.plan_cache_mode).toBe('force_generic_plan');
    // The other pool plans ad-hoc queries for their own parameters, as search needs.
    const main = await file.server.database.pool.query<{ plan_cache_mode: string }>('show plan_cache_mode');
    expect(main.rows[0]?.plan_cache_mode).toBe('auto');
  });

  it('numbers each conversation’s sends in the order given, with ids in the same order', async () => {
    const { alice, bob, id } = await aliceAndBob(file.server);
    const other = await startConversation(alice, [bob], 'Second');
    const { queue, batches } = recordingQueue();
    const sends = Array.from({ length: 30 }, (_, i) =>
      plain(i % 3 === 0 ? other.id : id, i % 2 ? bob.user.id : alice.user.id, `m${i}`),
    );
    const stored = await Promise.all(sends.map((s) => queue.store(s)));

    expect(batches.length).toBeGreaterThan(1); // the first went alone, the rest waited for it
    expect(batches.flat().map((m) => m.content)).toEqual(sends.map((s) => s.content));
    for (const conversationId of [id, other.id]) {
      const mine = stored.filter((m) => m?.conversationId === conversationId) as Message[];
      expect(mine.map((m) => m.seq)).toEqual(mine.map((_, i) => i + 1));
      expect(mine.map((m) => m.id)).toEqual([...mine.map((m) => m.id)].sort((a, b) => a - b));
    }
    // What the batch answered is what history reads.
    const history = (await alice.get(`/api/conversations/${id}/messages?limit=50`)).body.messages;
    expect(history).toEqual(stored.filter((m) => m?.conversationId === id));
    const events = (await alice.get(`/api/conversations/${id}/events?after=0`)).body.events;
    expect(events.map((e: { payload: { seq: number } }) => e.payload.seq)).toEqual(history.map((m: Message) => m.seq));
  });

  it('refuses only the sends whose own checks fail, and numbers the rest without gaps', async () => {
    const { alice, bob, id, url } = await aliceAndBob(file.server);
    const carol = await signUp(file.server, 'Carol');
    const closed = await startConversation(alice, [bob], 'Closed');
    expect((await alice.post(`/api/conversations/${closed.id}/close`, {})).status).toBe(200);
    const first = (await alice.post(`${url}/messages`, { content: 'first', clientId: 'kept' })).body.message;
    await alice.delete(`${url}/messages/${first.id}`);
    const { queue } = recordingQueue();

    const answers = await Promise.all([
      queue.store(plain(id, alice.user.id, 'opens the batch')),
      queue.store(plain(id, carol.user.id, 'not a member')),
      queue.store(plain(closed.id, alice.user.id, 'closed conversation')),
      queue.store({ ...plain(id, bob.user.id, 'reply to a deleted one'), replyToId: first.id }),
      queue.store({ ...plain(id, alice.user.id, 'clientId already used'), clientId: 'kept' }),
      queue.store(plain(id, bob.user.id, 'fine')),
    ]);

    expect(answers.map((m) => m?.content)).toEqual([
      'opens the batch',
      undefined,
      undefined,
      undefined,
      undefined,
      'fine',
    ]);
    // The delete took seq 2 (first was 1); the two stored sends follow without a gap.
    expect(answers.filter(Boolean).map((m) => m!.seq)).toEqual([3, 4]);
  });

  it('stores the others when one send of a batch makes the statement fail', async () => {
    const { alice, bob, id } = await aliceAndBob(file.server);
    const { queue } = recordingQueue();
    // Past the database's own length check: only a send that skipped validation can carry this.
    const answers = await Promise.allSettled([
      queue.store(plain(id, alice.user.id, 'first, alone')),
      queue.store(plain(id, bob.user.id, 'before')),
      queue.store(plain(id, alice.user.id, 'x'.repeat(4001))),
      queue.store(plain(id, bob.user.id, 'after')),
    ]);
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const history = (await alice.get(`/api/conversations/${id}/messages`)).body.messages;
    expect(history.map((m: Message) => [m.seq, m.content])).toEqual([
      [1, 'first, alone'],
      [2, 'before'],
      [3, 'after'],
    ]);
  });

  it('never writes a batch again after a lost connection, which may have come after its commit', async () => {
    const { alice, bob, id } = await aliceAndBob(file.server);
    const { pool } = file.server.database;
    const calls: number[] = [];
    // The real pool, except that the second statement's answer is lost on the way back.
    const flaky = {
      query: ((config: { values: unknown[][] }) => {
        calls.push(config.values[0]!.length);
        if (calls.length === 2) return Promise.reject(new Error('Connection terminated unexpectedly'));
        return pool.query(config as never);
      }) as typeof pool.query,
    };
    const queue = createSendQueue(flaky, () => {}, console);
    const answers = await Promise.allSettled([
      queue.store(plain(id, alice.user.id, 'alone')),
      queue.store(plain(id, bob.user.id, 'lost 1')),
      queue.store(plain(id, alice.user.id, 'lost 2')),
    ]);
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(calls).toEqual([1, 2]); // no send of the lost batch was written again on its own
  });

  it('keeps two sends of one upload, or of one clientId, out of one batch', () => {
    const waiting = [
      { send: plain(1, 1, 'a') },
      { send: { ...plain(1, 1, 'b'), attachmentIds: [7] } },
      { send: { ...plain(2, 1, 'c'), attachmentIds: [7] } },
      { send: plain(2, 1, 'd') },
      { send: { ...plain(3, 2, 'e'), clientId: 'x' } },
      { send: { ...plain(3, 2, 'f'), clientId: 'x' } },
      { send: plain(4, 2, 'g') },
    ];
    const first = nextBatch(waiting, 10).map((w) => w.send.content);
    // c collides on upload 7 and holds back d (same conversation, order kept); f collides on clientId.
    expect(first).toEqual(['a', 'b', 'e', 'g']);
    expect(waiting.map((w) => w.send.content)).toEqual(['c', 'd', 'f']);
    expect(nextBatch(waiting, 2).map((w) => w.send.content)).toEqual(['c', 'd']);
    expect(waiting.map((w) => w.send.content)).toEqual(['f']);
  });

  it('gives one upload to one of two sends racing for it', async () => {
    const { alice, url } = await aliceAndBob(file.server);
    const attachment = (await upload(alice, 'dot.png', await images.png(), 'image/png')).body.attachment;
    const answers = await Promise.all(
      [1, 2, 3].map((n) => alice.post(`${url}/messages`, { content: `take ${n}`, attachmentIds: [attachment.id] })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([201, 400, 400]);
  });
});

describe('sends over HTTP under load', () => {
  it('reach the room in seq order, each once, however many arrive at once', async () => {
    const { alice, bob, url } = await aliceAndBob(file.server);
    const socket = await connected(file.server, bob.socket());
    const received = collect(socket, 'message:new');
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        (i % 2 ? bob : alice).post(`${url}/messages`, { content: `burst ${i}`, clientId: `burst-${i}` }),
      ),
    );
    expect(answers.every((r) => r.status === 201)).toBe(true);
    await until(() => received.length === 60);
    expect(received.map((m) => m.seq)).toEqual(received.map((_, i) => i + 1));
    expect(new Set(received.map((m) => m.clientId)).size).toBe(60);
    socket.disconnect();
  });
});
