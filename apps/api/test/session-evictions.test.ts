import type { SessionData, Store } from 'express-session';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheSessions } from '../src/auth/session-cache.ts';
import { redisSessionEvictions } from '../src/auth/session-evictions.ts';
import { connectRedis } from '../src/redis.ts';
import { hasRedis, REDIS_URL } from './support/redis.ts';

if (!hasRedis) console.warn(`Skipping the session eviction tests: no Redis answers at ${REDIS_URL} (set REDIS_URL).`);

describe.skipIf(!hasRedis)('session evictions through Redis', () => {
  const connections: Awaited<ReturnType<typeof connectRedis>>[] = [];
  let run = 0;
  // Each test its own channels, so only its own replicas count as subscribers.
  const freshPrefix = () => `parley-test-evictions-${process.pid}-${Date.now()}-${run++}`;
  const connect = async (prefix: string) => {
    const redis = await connectRedis(REDIS_URL, pino({ level: 'silent' }), prefix);
    connections.push(redis);
    return redis;
  };
  const replica = async (prefix: string, ackTimeoutMs = 60_000) => {
    const redis = await connect(prefix);
    const forgotten: string[][] = [];
    const evictions = redisSessionEvictions(redis.client, redis.sub, prefix, ackTimeoutMs);
    evictions.subscribe((ids) => forgotten.push(ids));
    // Subscriptions are in place once the subscriber connection has answered a command after them.
    await redis.sub.ping();
    return { redis, evictions, forgotten };
  };
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.quit()));
  });

  it('a publish resolves only after every replica has forgotten the sessions', async () => {
    const prefix = freshPrefix();
    const [a, b, c] = [await replica(prefix), await replica(prefix), await replica(prefix)];
    await a.evictions.publish(['sid-1', 'sid-2']);
    for (const r of [a, b, c]) expect(r.forgotten).toContainEqual(['sid-1', 'sid-2']);
  });

  it('waits for a subscriber that has not confirmed yet', async () => {
    const prefix = freshPrefix();
    const a = await replica(prefix);
    // A subscriber that forgets nothing and confirms only when the test says so.
    const slow = await connect(prefix);
    const heard = new Promise<string>((resolve) => {
      void slow.sub.subscribe(`${prefix}:sessions:evictions`, (raw) => resolve(JSON.parse(raw).ack));
    });
    // The test hears the confirmations too, to know when replica a has sent its own.
    const acks: string[] = [];
    await slow.sub.subscribe(`${prefix}:sessions:evictions:acks`, (token) => acks.push(token));
    await slow.sub.ping();
    let resolved = false;
    const publishing = a.evictions.publish(['sid-3']).then(() => {
      resolved = true;
    });
    const token = await heard;
    await expect.poll(() => acks.filter((t) => t === token).length).toBe(1);
    // Replica a has confirmed and the slow subscriber has not: the logout must not have answered.
    await a.redis.client.ping();
    expect(resolved).toBe(false);
    await slow.client.publish(`${prefix}:sessions:evictions:acks`, token);
    await publishing;
    expect(a.forgotten).toContainEqual(['sid-3']);
  });

  it('stops waiting for a subscriber that never confirms', async () => {
    const prefix = freshPrefix();
    const a = await replica(prefix, 50);
    const silent = await connect(prefix);
    await silent.sub.subscribe(`${prefix}:sessions:evictions`, () => {});
    await silent.sub.ping();
    await a.evictions.publish(['sid-4']);
    expect(a.forgotten).toContainEqual(['sid-4']);
  });
});

describe('the session cache', () => {
  /** A store whose reads answer when the test says, holding what a PostgreSQL row would. */
  function heldStore() {
    const rows = new Map<string, SessionData>();
    const reads: (() => void)[] = [];
    const store = {
      get(sid: string, callback: (err: unknown, session?: SessionData | null) => void) {
        const row = rows.get(sid);
        reads.push(() => callback(null, row ? structuredClone(row) : null));
      },
      set(sid: string, session: SessionData, callback?: (err?: unknown) => void) {
        rows.set(sid, session);
        callback?.();
      },
      destroy(sid: string, callback?: (err?: unknown) => void) {
        rows.delete(sid);
        callback?.();
      },
    };
    return {
      store: store as unknown as Store,
      rows,
      answerReads: () => {
        for (const answer of reads.splice(0)) answer();
      },
    };
  }
  const read = (store: Store, sid: string) =>
    new Promise<SessionData | null | undefined>((resolve) => store.get(sid, (_err, s) => resolve(s)));
  const session = { cookie: { originalMaxAge: null }, passport: { user: 1 } } as unknown as SessionData;

  it('does not keep a read that was in flight when the session was forgotten', async () => {
    const { store, rows, answerReads } = heldStore();
    const evict = cacheSessions(store, 60_000);
    rows.set('sid', session);
    // A request reads the row; before it answers, the session is ended behind the store's back.
    const racing = read(store, 'sid');
    rows.delete('sid');
    await evict(['sid']);
    answerReads();
    expect(await racing).toBeTruthy();
    // The next request goes to the store again, which no longer has it.
    const next = read(store, 'sid');
    answerReads();
    expect(await next).toBeNull();
  });

  it('keeps a read nothing raced, so the next request costs no store read', async () => {
    const { store, rows, answerReads } = heldStore();
    cacheSessions(store, 60_000);
    rows.set('sid', session);
    const first = read(store, 'sid');
    answerReads();
    expect(await first).toBeTruthy();
    rows.delete('sid');
    // Answered from the cache: no read was queued, and the copy is still there.
    expect(await read(store, 'sid')).toMatchObject({ passport: { user: 1 } });
  });
});
