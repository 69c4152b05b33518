import type { RedisClientType } from 'redis';

/** API.md, Socket.IO: at most 20 sockets per user; the next is refused with "too_many_connections". */
export const MAX_SOCKETS_PER_USER = 20;

export interface ConnectionCap {
  /** Takes a place for this socket; false when the user already has `max` sockets. */
  admit(userId: number, socketId: string): Promise<boolean>;
  release(userId: number, socketId: string): Promise<void>;
  close(): Promise<void>;
}

/** One process: the sockets of each user in memory. */
export function createLocalConnectionCap(max = MAX_SOCKETS_PER_USER): ConnectionCap {
  const sockets = new Map<number, Set<string>>();
  return {
    async admit(userId, socketId) {
      const set = sockets.get(userId) ?? new Set();
      if (set.size >= max) return false;
      set.add(socketId);
      sockets.set(userId, set);
      return true;
    },
    async release(userId, socketId) {
      const set = sockets.get(userId);
      set?.delete(socketId);
      if (set?.size === 0) sockets.delete(userId);
    },
    async close() {},
  };
}

// How long a place is held without its replica renewing it: a crashed replica's sockets free up.
const PLACE_TTL_MS = 60_000;
const RENEW_MS = 20_000;

// Atomic in Redis, so two replicas admitting at once cannot both take the last place.
// KEYS[1] = the user's places (score = expiry); ARGV = now, expiry, socket id, max.
const ADMIT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ${PLACE_TTL_MS})
return 1`;

/** Every replica: each socket holds a place in a per-user sorted set that its replica keeps renewing. */
export function createRedisConnectionCap(
  redis: RedisClientType,
  prefix: string,
  max = MAX_SOCKETS_PER_USER,
): ConnectionCap {
  const key = (userId: number) => `${prefix}:sockets:${userId}`;
  const local = new Map<string, number>();
  const renew = setInterval(() => {
    if (local.size === 0) return;
    const expiry = Date.now() + PLACE_TTL_MS;
    const multi = redis.multi();
    for (const [socketId, userId] of local) {
      multi.zAdd(key(userId), { score: expiry, value: socketId });
      multi.pExpire(key(userId), PLACE_TTL_MS);
    }
    multi.exec().catch(() => {});
  }, RENEW_MS);
  renew.unref();
  return {
    async admit(userId, socketId) {
      const now = Date.now();
      const admitted = await redis.eval(ADMIT, {
        keys: [key(userId)],
        arguments: [String(now), String(now + PLACE_TTL_MS), socketId, String(max)],
      });
      if (admitted === 1) local.set(socketId, userId);
      return admitted === 1;
    },
    async release(userId, socketId) {
      local.delete(socketId);
      await redis.zRem(key(userId), socketId);
    },
    async close() {
      clearInterval(renew);
      const multi = redis.multi();
      for (const [socketId, userId] of local) multi.zRem(key(userId), socketId);
      if (local.size > 0) await multi.exec().catch(() => {});
      local.clear();
    },
  };
}
