import type { Logger } from 'pino';
import { createClient, type RedisClientType } from 'redis';

/** Two connections: one for commands, one in subscriber mode for the Socket.IO adapter. */
export async function connectRedis(url: string, logger: Logger, prefix = 'parley') {
  const client = createClient({ url }) as RedisClientType;
  const sub = client.duplicate() as RedisClientType;
  for (const c of [client, sub]) c.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
  await Promise.all([client.connect(), sub.connect()]);
  return {
    client,
    sub,
    prefix,
    async quit() {
      await Promise.allSettled([client.quit(), sub.quit()]);
    },
  };
}
