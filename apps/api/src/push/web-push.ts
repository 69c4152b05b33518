import { hostname } from 'node:os';
import type { Db } from '@parley/db';
import type { Logger } from 'pino';
import type { RedisClientType } from 'redis';
import type { Env } from '../env.ts';
import { createPublicHttpsAgent } from '../net/guarded-connect.ts';
import { isAllowListed, parseAllowList } from '../net/public-address.ts';
import type { Realtime } from '../realtime/realtime.ts';
import { type Attention, createLocalAttention, createRedisAttention } from './attention.ts';
import { createPushDelivery, type PushDelivery, type PushResult } from './delivery.ts';
import { pushRouter } from './routes.ts';
import { vapidKeys } from './vapid.ts';

export type PushEnv = Pick<
  Env,
  'VAPID_PUBLIC_KEY' | 'VAPID_PRIVATE_KEY' | 'VAPID_SUBJECT' | 'PUSH_ENDPOINT_ALLOW' | 'PUBLIC_URL'
>;

export interface WebPushDeps {
  db: Db;
  /** Where the push fan-out's prepared statement runs (ADR 052). */
  planned: Db;
  env: Partial<PushEnv>;
  logger: Logger;
  redis?: { client: RedisClientType; prefix: string } | undefined;
  /** A certificate to trust for push services besides the system's: tests only. */
  ca?: string | undefined;
  onResult?: (result: PushResult) => void;
}

/** Web push, wired: attention state, the VAPID keys, the delivery queue and the routes. */
export function createWebPush({ db, planned, env, logger, redis, ca, onResult }: WebPushDeps) {
  const attention: Attention = redis ? createRedisAttention(redis.client, redis.prefix) : createLocalAttention();
  const keys = vapidKeys(db, env, hostname());
  const allow = parseAllowList(env.PUSH_ENDPOINT_ALLOW);
  const agent = createPublicHttpsAgent({
    isAllowed: (host, port) => isAllowListed(allow, new URL(`https://${host}:${port}`)),
    ca,
  });
  const delivery: PushDelivery = createPushDelivery({ db, planned, attention, keys, agent, logger, onResult });
  return {
    attention,
    delivery,
    router: () => pushRouter({ db, keys }),
    /** `realtime` whose new messages are also pushed, after the socket fan-out. */
    pushing(realtime: Realtime): Realtime {
      return {
        ...realtime,
        messageNew(message) {
          realtime.messageNew(message);
          delivery.messageNew(message);
        },
      };
    },
    async close() {
      await delivery.close();
      await attention.close();
    },
  };
}
