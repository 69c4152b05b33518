import type { RedisClientType } from 'redis';
import { systemClock, type Timer } from '../clock.ts';
import { OFFLINE_GRACE_MS, type Presence, type PresenceOptions } from './presence.ts';

/** How long a socket counts as connected without its replica confirming it (a crashed replica's users). */
const SOCKET_TTL_MS = 40_000;
const HEARTBEAT_MS = 15_000;
const SWEEP_MS = 5_000;

// Both scripts run atomically in Redis, so two replicas can never both announce the same change.
// KEYS[1] = the user's live sockets (a sorted set, score = expiry), KEYS[2] = announced state,
// KEYS[3] = the set of users announced online.
const CONNECT = `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
local previous = redis.call('GET', KEYS[2])
redis.call('SET', KEYS[2], 'online')
redis.call('SADD', KEYS[3], ARGV[3])
if previous == 'online' then return 0 end
return 1`;

const SETTLE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) > 0 then return 0 end
local previous = redis.call('GET', KEYS[2])
redis.call('SET', KEYS[2], 'offline')
redis.call('SREM', KEYS[3], ARGV[2])
if previous == 'online' then return 1 end
return 0`;

/**
 * Presence shared by every replica through Redis. Each socket is an entry with an expiry that its
 * replica keeps renewing; a user goes offline once they have no live entry and the grace period has
 * passed, whichever replica notices first.
 */
export function createRedisPresence(
  redis: RedisClientType,
  prefix: string,
  onOffline: (userId: number) => void,
  { graceMs = OFFLINE_GRACE_MS, clock = systemClock }: PresenceOptions = {},
): Presence {
  const socketsKey = (userId: number) => `${prefix}:presence:sockets:${userId}`;
  const stateKey = (userId: number) => `${prefix}:presence:state:${userId}`;
  const onlineKey = `${prefix}:presence:online`;
  const local = new Map<string, number>(); // this replica's sockets → user
  const timers = new Set<Timer>();

  async function settle(userId: number) {
    const wentOffline = await redis.eval(SETTLE, {
      keys: [socketsKey(userId), stateKey(userId), onlineKey],
      arguments: [String(clock.now()), String(userId)],
    });
    if (wentOffline === 1) onOffline(userId);
  }

  const heartbeat = setInterval(() => {
    const expiry = clock.now() + SOCKET_TTL_MS;
    const multi = redis.multi();
    for (const [socketId, userId] of local) multi.zAdd(socketsKey(userId), { score: expiry, value: socketId });
    if (local.size > 0) multi.exec().catch(() => {});
  }, HEARTBEAT_MS);
  const sweep = setInterval(async () => {
    try {
      for (const id of await redis.sMembers(onlineKey)) await settle(Number(id));
    } catch {
      // Redis briefly away: the next sweep catches up.
    }
  }, SWEEP_MS);
  heartbeat.unref();
  sweep.unref();

  return {
    async connected(userId, socketId) {
      local.set(socketId, userId);
      const cameOnline = await redis.eval(CONNECT, {
        keys: [socketsKey(userId), stateKey(userId), onlineKey],
        arguments: [String(clock.now() + SOCKET_TTL_MS), socketId, String(userId)],
      });
      return cameOnline === 1;
    },
    async disconnected(userId, socketId) {
      local.delete(socketId);
      // The entry lives on through the grace period, so a reload on any replica causes no flicker.
      await redis.zAdd(socketsKey(userId), { score: clock.now() + graceMs, value: socketId });
      const timer = clock.setTimeout(() => {
        timers.delete(timer);
        settle(userId).catch(() => {});
      }, graceMs + 50);
      timers.add(timer);
    },
    async onlineAmong(userIds) {
      if (userIds.length === 0) return new Set();
      const states = await redis.mGet(userIds.map(stateKey));
      return new Set(userIds.filter((_, i) => states[i] === 'online'));
    },
    async close() {
      clearInterval(heartbeat);
      clearInterval(sweep);
      for (const timer of timers) clock.clearTimeout(timer);
      // Our sockets are going away: let them expire after the grace period; other replicas' sweeps settle them.
      const multi = redis.multi();
      for (const [socketId, userId] of local) {
        multi.zAdd(socketsKey(userId), { score: clock.now() + graceMs, value: socketId });
      }
      if (local.size > 0) await multi.exec().catch(() => {});
      local.clear();
    },
  };
}
