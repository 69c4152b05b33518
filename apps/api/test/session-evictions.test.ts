import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { redisSessionEvictions } from '../src/auth/session-evictions.ts';
import { connectRedis } from '../src/redis.ts';
import { hasRedis, REDIS_URL } from './support/redis.ts';

if (!hasRedis) console.warn(`Skipping the session eviction tests: no Redis answers at ${REDIS_URL} (set REDIS_URL).`);

describe.skipIf(!hasRedis)('session evictions through Redis', () => {
  const prefix = `parley-test-evictions-${process.pid}-${Date.now()}`;
  const connections: Awaited<ReturnType<typeof connectRedis>>[] = [];
  const replica = async () => {
    const redis = await connectRedis(REDIS_URL, pino({ level: 'silent' }), prefix);
    connections.push(redis);
    const forgotten: string[][] = [];
    const evictions = redisSessionEvictions(redis.client, redis.sub, prefix, 60_000);
    evictions.subscribe((ids) => forgotten.push(ids));
    return { redis, evictions, forgotten };
  };
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.quit()));
  });

  it('a publish resolves only after every replica has forgotten the sessions', async () => {
    const a = await replica();
    const b = await replica();
    const c = await replica();
    // Subscriptions are in place once each has answered a ping on its subscriber connection.
    await Promise.all([a, b, c].map((r) => r.redis.sub.ping()));
    await a.evictions.publish(['sid-1', 'sid-2']);
    // Without the confirmations these could still be in flight when publish resolves.
    for (const r of [a, b, c]) expect(r.forgotten).toContainEqual(['sid-1', 'sid-2']);
  });

  it('waits for a subscriber that has not confirmed yet', async () => {
    const a = await replica();
    // A subscriber that forgets nothing and confirms only when the test says so.
    const slow = await connectRedis(REDIS_URL, pino({ level: 'silent' }), prefix);
    connections.push(slow);
    const heard = new Promise<string>((resolve) => {
      void slow.sub.subscribe(`${prefix}:sessions:evictions`, (raw) => resolve(JSON.parse(raw).ack));
    });
    await Promise.all([a.redis.sub.ping(), slow.sub.ping()]);
    let resolved = false;
    const publishing = a.evictions.publish(['sid-3']).then(() => {
      resolved = true;
    });
    const token = await heard;
    // The replicas may all have confirmed by now; the slow subscriber has not, so no answer yet.
    await a.redis.client.ping();
    expect(resolved).toBe(false);
    await slow.client.publish(`${prefix}:sessions:evictions:acks`, token);
    await publishing;
    expect(resolved).toBe(true);
  });
});
