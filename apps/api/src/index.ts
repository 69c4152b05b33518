import path from 'node:path';
import { createDatabase, type EmbeddedServer, migrateDatabase, startEmbeddedPostgres } from '@parley/db';
import { createApp } from './app.ts';
import { developmentSecret } from './auth/session.ts';
import { EnvError, loadEnv } from './env.ts';
import { createLogger, endLogs } from './observability/logger.ts';
import { backfillNicknameKeys } from './users/nickname-backfill.ts';

async function main() {
  const env = loadEnv();
  const logger = createLogger(env.LOG_LEVEL);
  let embedded: EmbeddedServer | undefined;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(env.DATA_DIR);
    databaseUrl = embedded.url();
    logger.info({ dataDir: path.resolve(env.DATA_DIR) }, 'embedded PostgreSQL started');
  }
  const database = createDatabase(databaseUrl);
  await migrateDatabase(database);
  await backfillNicknameKeys(database.db, logger);
  const sessionSecret = env.SESSION_SECRET ?? (await developmentSecret(env.DATA_DIR));
  // The Redis client is loaded only when there is a Redis (ADR 047): a single process starts without it.
  const redis = env.REDIS_URL
    ? await (await import('./redis.ts')).connectRedis(env.REDIS_URL, logger, env.REDIS_PREFIX)
    : undefined;
  const app = createApp({ env, database, sessionSecret, logger, redis });

  await new Promise<void>((resolve) => app.server.listen(env.PORT, env.HOST, resolve));
  logger.info({ port: env.PORT }, `Parley is listening on http://localhost:${env.PORT}`);
  // Metrics on their own listener, loopback unless METRICS_HOST says otherwise (API.md).
  await new Promise<void>((resolve, reject) => {
    app.metricsServer.once('error', reject);
    app.metricsServer.listen(env.METRICS_PORT, env.METRICS_HOST, resolve);
  });
  const metricsAddress = app.metricsServer.address();
  const metricsPort = typeof metricsAddress === 'object' && metricsAddress ? metricsAddress.port : env.METRICS_PORT;
  logger.info({ host: env.METRICS_HOST, port: metricsPort }, 'metrics are served on their own listener');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    try {
      await app.close();
      await database.end();
      await redis?.quit();
      await embedded?.stop();
    } finally {
      logger.info({ signal }, 'stopped');
      // The log buffer is asynchronous: written out before exiting, so the last lines are not lost.
      endLogs(logger, () => {
        clearTimeout(force);
        process.exit(0);
      });
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  if (err instanceof EnvError) {
    console.error(err.message);
  } else {
    console.error(err);
  }
  process.exit(1);
});
