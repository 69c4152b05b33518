import { randomUUID } from 'node:crypto';
import type { RedisClientType } from 'redis';
import type { SessionEvictions } from './session-cache.ts';

/** A replica that has not confirmed by then is gone or stuck; its copies expire on their own (5 s). */
const ACK_TIMEOUT_MS = 1_000;

interface Eviction {
  sessionIds: string[];
  /** The publisher's token for this eviction, which each replica sends back once it has forgotten them. */
  ack: string;
}

/**
 * Evictions of cached sessions through Redis pub/sub, confirmed. Redis answers PUBLISH with the
 * number of subscribers it handed the message to. That only means it is in their socket buffers, not
 * that their caches have dropped the sessions. So each replica answers on an ack channel once it has,
 * and `publish` resolves when all of them have. A logout answers only then, so no replica answers
 * from a cached copy after the logout has answered (session-cache.ts keeps no read that raced it).
 * A replica that does not confirm within a second is waited for no longer, nor is Redis.
 */
export function redisSessionEvictions(
  client: RedisClientType,
  sub: RedisClientType,
  prefix: string,
  ackTimeoutMs = ACK_TIMEOUT_MS,
): SessionEvictions {
  const channel = `${prefix}:sessions:evictions`;
  const ackChannel = `${channel}:acks`;
  const waiting = new Map<string, { acks: number; expected: number; done: () => void }>();
  const acked = (token: string) => {
    const entry = waiting.get(token);
    if (!entry) return;
    entry.acks += 1;
    if (entry.acks >= entry.expected) entry.done();
  };
  const listening = sub.subscribe(ackChannel, acked);
  // A closed subscriber fails each publish below, not the process.
  listening.catch(() => {});

  return {
    async publish(sessionIds) {
      const token = randomUUID();
      let done!: () => void;
      const confirmed = new Promise<void>((resolve) => {
        done = resolve;
      });
      const entry = { acks: 0, expected: Number.POSITIVE_INFINITY, done };
      waiting.set(token, entry);
      // From the start: with Redis away, node-redis queues the commands below until it is back.
      const timer = setTimeout(done, ackTimeoutMs);
      const published = (async () => {
        await listening;
        const message: Eviction = { sessionIds, ack: token };
        entry.expected = await client.publish(channel, JSON.stringify(message));
        if (entry.acks >= entry.expected) done();
      })();
      published.catch(() => {}); // answered below, or too late to matter
      try {
        await Promise.race([confirmed, published.then(() => confirmed)]);
      } finally {
        clearTimeout(timer);
        waiting.delete(token);
      }
    },
    subscribe(onEvict) {
      sub
        .subscribe(channel, (raw) => {
          let message: Eviction | null;
          try {
            message = JSON.parse(raw) as Eviction | null;
          } catch {
            return; // not ours: nothing to forget, nothing to confirm
          }
          if (!Array.isArray(message?.sessionIds)) return;
          onEvict(message.sessionIds);
          client.publish(ackChannel, String(message.ack)).catch(() => {});
        })
        .catch(() => {}); // a closed subscriber hears nothing more; the cache's TTL still holds
    },
  };
}
