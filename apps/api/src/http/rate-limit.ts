import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RedisClientType } from 'redis';
import { AppError } from './app-error.ts';

export interface RateLimit {
  /** Counts one event for `key`; throws 429 once the key is over its limit. */
  consume(key: string): Promise<void>;
  /** Throws 429 if `key` is already over its limit, without counting anything. */
  check(key: string): Promise<void>;
  reset(key: string): Promise<void>;
  /** Gives back one event counted by `consume` that turned out to do nothing. */
  refund(key: string): Promise<void>;
}

const unlimited: RateLimit = {
  consume: async () => {},
  check: async () => {},
  reset: async () => {},
  refund: async () => {},
};

function limited(res: RateLimiterRes): AppError {
  return new AppError('rate_limited', undefined, undefined, Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
}

/**
 * A fixed budget of `points` per `seconds` per key; `0` points turns it off (API.md). Shared through
 * Redis when there is one, so that every replica counts against the same budget.
 */
export function createRateLimit(name: string, points: number, seconds: number, redis?: RedisClientType): RateLimit {
  if (points === 0) return unlimited;
  const limiter: RateLimiterAbstract = redis
    ? new RateLimiterRedis({
        storeClient: redis,
        useRedisPackage: true,
        keyPrefix: `rl:${name}`,
        points,
        duration: seconds,
      })
    : new RateLimiterMemory({ keyPrefix: name, points, duration: seconds });
  return {
    async consume(key) {
      try {
        await limiter.consume(key);
      } catch (err) {
        if (err instanceof RateLimiterRes) throw limited(err);
        throw err;
      }
    },
    async check(key) {
      const res = await limiter.get(key);
      if (res && res.consumedPoints >= points) throw limited(res);
    },
    async reset(key) {
      await limiter.delete(key);
    },
    async refund(key) {
      await limiter.reward(key, 1);
    },
  };
}
