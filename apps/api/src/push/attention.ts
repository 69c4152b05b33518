import type { RedisClientType } from 'redis';

/**
 * Which users have a Parley tab someone is looking at, on any device. Each socket says so itself
 * (`attention {visible}`); a socket that has not said so, or has gone, counts as not visible.
 */
export interface Attention {
  report(userId: number, socketId: string, visible: boolean): Promise<void>;
  forget(userId: number, socketId: string): Promise<void>;
  /** The users among `userIds` with at least one visible socket. */
  visibleAmong(userIds: number[]): Promise<Set<number>>;
  close(): Promise<void>;
}

/** One process: visible sockets per user, in memory. */
export function createLocalAttention(): Attention {
  const visible = new Map<number, Set<string>>();
  async function report(userId: number, socketId: string, isVisible: boolean) {
    const set = visible.get(userId) ?? new Set<string>();
    if (isVisible) set.add(socketId);
    else set.delete(socketId);
    if (set.size > 0) visible.set(userId, set);
    else visible.delete(userId);
  }
  return {
    report,
    forget: (userId, socketId) => report(userId, socketId, false),
    async visibleAmong(userIds) {
      return new Set(userIds.filter((id) => visible.has(id)));
    },
    async close() {
      visible.clear();
    },
  };
}

/** How long a visible socket counts without its replica renewing it (a replica that crashed). */
const VISIBLE_TTL_MS = 40_000;
const HEARTBEAT_MS = 15_000;

/**
 * Shared by every replica: per user a sorted set of visible socket ids scored by expiry, renewed by
 * the socket's replica like presence (redis-presence.ts), so a crashed replica's tabs stop counting
 * as looked at within a TTL and push resumes for their users.
 */
export function createRedisAttention(redis: RedisClientType, prefix: string, now: () => number = Date.now): Attention {
  const key = (userId: number) => `${prefix}:attention:${userId}`;
  const local = new Map<string, number>(); // this replica's visible sockets → user

  const heartbeat = setInterval(() => {
    if (local.size === 0) return;
    const expiry = now() + VISIBLE_TTL_MS;
    const multi = redis.multi();
    for (const [socketId, userId] of local) {
      multi.zAdd(key(userId), { score: expiry, value: socketId });
      multi.pExpire(key(userId), VISIBLE_TTL_MS);
    }
    multi.exec().catch(() => {});
  }, HEARTBEAT_MS);
  heartbeat.unref();

  async function hide(userId: number, socketId: string) {
    local.delete(socketId);
    await redis.zRem(key(userId), socketId);
  }

  return {
    async report(userId, socketId, visible) {
      if (!visible) return hide(userId, socketId);
      local.set(socketId, userId);
      await redis
        .multi()
        .zAdd(key(userId), { score: now() + VISIBLE_TTL_MS, value: socketId })
        .pExpire(key(userId), VISIBLE_TTL_MS)
        .exec();
    },
    forget: hide,
    async visibleAmong(userIds) {
      if (userIds.length === 0) return new Set();
      const multi = redis.multi();
      for (const userId of userIds) multi.zCount(key(userId), now(), '+inf');
      const counts = (await multi.exec()) as unknown as number[];
      return new Set(userIds.filter((_, i) => Number(counts[i]) > 0));
    },
    async close() {
      clearInterval(heartbeat);
      // Our sockets are going: their tabs reconnect elsewhere and say again what they see.
      const multi = redis.multi();
      for (const [socketId, userId] of local) multi.zRem(key(userId), socketId);
      if (local.size > 0) await multi.exec().catch(() => {});
      local.clear();
    },
  };
}
