import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { Database } from '@parley/db';
import { createAdapter } from '@socket.io/redis-adapter';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { RedisClientType } from 'redis';
import { attachmentsRouter } from './attachments/routes.ts';
import { eraseBytes, sweepUnsent } from './attachments/service.ts';
import { createStorage, type Storage, type StorageEnv } from './attachments/storage.ts';
import { startSweeper } from './attachments/sweeper.ts';
import { createLoginLimit } from './auth/login-limit.ts';
import { createPassport } from './auth/passport.ts';
import { passwordHashes } from './auth/password.ts';
import { authRouter } from './auth/routes.ts';
import { createSessionMiddleware } from './auth/session.ts';
import { redisSessionEvictions } from './auth/session-evictions.ts';
import { sessionUser } from './auth/session-user.ts';
import { type Clock, systemClock } from './clock.ts';
import { conversationsRouter } from './conversations/routes.ts';
import type { Env } from './env.ts';
import { eventsRouter } from './events/routes.ts';
import { errorHandler, notFound } from './http/error-handler.ts';
import { publicScheme } from './http/public-scheme.ts';
import { createRateLimit } from './http/rate-limit.ts';
import { jsonBody, noStore, originCheck } from './http/request-guards.ts';
import { mounted } from './http/route-pattern.ts';
import { securityHeaders } from './http/security-headers.ts';
import { inlineScriptHashes, spaRouter } from './http/spa.ts';
import type { FetchLimits } from './link-previews/fetch-url.ts';
import { deleteUnusedPreviewsBefore } from './link-previews/queries.ts';
import { linkPreviewsRouter } from './link-previews/routes.ts';
import { createLinkPreviews, type LinkPreviews, PREVIEW_CACHE_MS } from './link-previews/service.ts';
import { commitMessageChange } from './messages/actions.ts';
import { messagesRouter } from './messages/routes.ts';
import { createSendQueue } from './messages/send-queue.ts';
import { parseAllowList } from './net/public-address.ts';
import { operationsRouter } from './observability/health.ts';
import { createMetrics } from './observability/metrics.ts';
import { createMetricsServer } from './observability/metrics-server.ts';
import { requestLog } from './observability/request-log.ts';
import type { Attention } from './push/attention.ts';
import type { PushDelivery } from './push/delivery.ts';
import { createWebPush } from './push/web-push.ts';
import { createSequencedReads, type SequencedReads } from './read-cache/sequenced-read.ts';
import { createLocalConnectionCap, createRedisConnectionCap } from './realtime/connection-cap.ts';
import { createLocalPresence, type Presence } from './realtime/presence.ts';
import { createRealtime, type ParleyServer } from './realtime/realtime.ts';
import { createRedisPresence } from './realtime/redis-presence.ts';
import { startSessionSweep } from './realtime/session-sweep.ts';
import { createSocketServer, handleConnections } from './realtime/socket-server.ts';
import { searchRouter } from './search/routes.ts';
import { usersRouter } from './users/routes.ts';

/** 32 MiB: some 800 history pages of 50 messages with their receipts (about 40 KB each). */
const PAGE_CACHE_BYTES = 32 * 1024 * 1024;

/** API.md: requests that trickle in are cut after 30 s. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface AppDeps {
  env: Pick<
    Env,
    | 'PUBLIC_URL'
    | 'LOGIN_RATE_LIMIT'
    | 'LOGIN_RATE_WINDOW_SECONDS'
    | 'REGISTER_RATE_LIMIT'
    | 'REGISTER_RATE_WINDOW_SECONDS'
    | 'SEND_RATE_LIMIT'
    | 'SEND_RATE_WINDOW_SECONDS'
    | 'CREATE_RATE_LIMIT'
    | 'CREATE_RATE_WINDOW_SECONDS'
    | 'TRUST_PROXY'
    | 'WEB_DIST'
    | 'UPLOAD_RATE_LIMIT'
    | 'UPLOAD_RATE_WINDOW_SECONDS'
    | 'ATTACHMENT_MAX_BYTES'
    | 'LINK_PREVIEWS'
    | 'LINK_PREVIEW_ALLOW'
    | keyof StorageEnv
  > &
    Partial<Pick<Env, 'VAPID_PUBLIC_KEY' | 'VAPID_PRIVATE_KEY' | 'VAPID_SUBJECT' | 'PUSH_ENDPOINT_ALLOW'>>;
  database: Database;
  sessionSecret: string;
  logger: Logger;
  /** How long a user stays online after their last socket closes (tests shorten it). */
  presenceGraceMs?: number;
  /** How often each replica checks the sessions of its sockets (tests shorten it). */
  sessionSweepMs?: number;
  /** How long a request may take to arrive whole before it is cut with 408 (tests shorten it). */
  requestTimeoutMs?: number;
  /** The time every throttle and grace period reads (tests pass one they move by hand). */
  clock?: Clock;
  /**
   * With Redis, events reach sockets on every replica and presence and rate limits are shared.
   * `sub` is a second connection in subscriber mode; `prefix` keeps deployments (and test runs) apart.
   */
  redis?: { client: RedisClientType; sub: RedisClientType; prefix: string };
  /** Where attachment bytes live; by default the one STORAGE_DRIVER names. */
  storage?: Storage;
  /**
   * The clock of the sweep of unsent uploads and stale previews; tests move it by hand. Its own, so
   * that the timers of `clock` stay those of throttles and grace periods.
   */
  sweepClock?: Clock;
  /** Tests shorten the link previews' time limits (never lengthen them). */
  linkPreviewLimits?: Partial<FetchLimits>;
  /** A certificate push services may present besides the system's trusted ones (tests' fake one). */
  pushCa?: string;
  /** The bound of the history and event page cache (ADR 046); 0 turns it off (tests' uncached reads). */
  pageCacheBytes?: number;
}

export interface App {
  app: Express;
  server: HttpServer;
  /** GET /metrics, for the caller to listen on METRICS_PORT: never on the public server. */
  metricsServer: HttpServer;
  io: ParleyServer;
  storage: Storage;
  previews: LinkPreviews;
  /** The sweep of uploads never sent (and of previews out of the cache): `settled()` is its barrier. */
  sweeper: ReturnType<typeof startSweeper>;
  /** Web push as tests observe it: `idle()` once every push queued so far is answered or given up. */
  push: Pick<PushDelivery, 'idle'> & Pick<Attention, 'visibleAmong'>;
  /** The history and event page cache, whose hit counts tests read. */
  pages: Pick<SequencedReads, 'stats'>;
  /** Closes sockets and the HTTP server; the database belongs to the caller. */
  close(): Promise<void>;
}

/** Builds Express and Socket.IO wired together, listening nowhere, so tests can run several. */
export function createApp({
  env,
  database,
  sessionSecret,
  logger,
  presenceGraceMs,
  sessionSweepMs,
  requestTimeoutMs = REQUEST_TIMEOUT_MS,
  clock = systemClock,
  redis,
  storage = createStorage(env),
  sweepClock = systemClock,
  linkPreviewLimits,
  pushCa,
  pageCacheBytes = PAGE_CACHE_BYTES,
}: AppDeps): App {
  const { db, pool } = database;
  const app = express();
  // A request that trickles in is cut with 408 (API.md); checked often enough to keep that promise.
  const server = createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, requestTimeoutMs / 4),
    },
    app,
  );
  // Only the proxies TRUST_PROXY names may tell us the client's address and scheme (off by default).
  app.set('trust proxy', env.TRUST_PROXY);
  app.disable('x-powered-by');

  const session = createSessionMiddleware(
    pool,
    sessionSecret,
    redis && redisSessionEvictions(redis.client, redis.sub, redis.prefix),
  );
  const shared = redis?.client;
  const prefixed = (name: string) => (redis ? `${redis.prefix}:${name}` : name);
  const loginLimit = createLoginLimit(
    { points: env.LOGIN_RATE_LIMIT, seconds: env.LOGIN_RATE_WINDOW_SECONDS, prefix: prefixed },
    shared,
  );
  const registerLimit = createRateLimit(
    prefixed('register'),
    env.REGISTER_RATE_LIMIT,
    env.REGISTER_RATE_WINDOW_SECONDS,
    shared,
  );
  const sendLimit = createRateLimit(prefixed('send'), env.SEND_RATE_LIMIT, env.SEND_RATE_WINDOW_SECONDS, shared);
  const createLimit = createRateLimit(
    prefixed('create'),
    env.CREATE_RATE_LIMIT,
    env.CREATE_RATE_WINDOW_SECONDS,
    shared,
  );

  const uploadLimit = createRateLimit(
    prefixed('upload'),
    env.UPLOAD_RATE_LIMIT,
    env.UPLOAD_RATE_WINDOW_SECONDS,
    shared,
  );

  const passport = createPassport({ db, loginLimit });

  const connectionCap = redis ? createRedisConnectionCap(redis.client, redis.prefix) : createLocalConnectionCap();
  const io = createSocketServer(server, {
    db,
    logger,
    publicUrl: env.PUBLIC_URL,
    session: session.read,
    sessionUser,
    trustedProxy: app.get('trust proxy fn'),
    connectionCap,
  });
  if (redis) io.adapter(createAdapter(redis.client, redis.sub, { key: `${redis.prefix}:socket.io` }));
  const metrics = createMetrics(
    pool,
    () => io.of('/').sockets.size,
    () => passwordHashes.load,
  );
  const metricsServer = createMetricsServer(metrics.registry);
  const sweep = startSessionSweep(io, db, logger, sessionSweepMs);
  const push = createWebPush({
    db,
    planned: database.planned.db,
    env,
    logger,
    redis,
    ca: pushCa,
    onResult: metrics.countPush,
  });
  const realtime = push.pushing(metrics.instrument(createRealtime(io)));

  let connections: ReturnType<typeof handleConnections> | undefined;
  const announceOffline = (userId: number) => {
    connections?.broadcastPresence(userId, false).catch((err) => logger.error({ err }, 'presence broadcast failed'));
  };
  const presence: Presence = redis
    ? createRedisPresence(redis.client, redis.prefix, announceOffline, { graceMs: presenceGraceMs, clock })
    : createLocalPresence(announceOffline, { graceMs: presenceGraceMs, clock });
  // Typing is throttled per user and conversation in each process; with Redis, across all of them too.
  const typingLimit = shared ? createRateLimit(prefixed('typing'), 3, 1, shared) : undefined;
  connections = handleConnections(io, { db, logger, presence, attention: push.attention, clock, typingLimit });

  const previews = createLinkPreviews({
    db,
    storage,
    logger,
    clock,
    commit: (conversationId, messageId, write) =>
      commitMessageChange({ db, realtime }, conversationId, messageId, write),
    enabled: env.LINK_PREVIEWS === 'on',
    allow: parseAllowList(env.LINK_PREVIEW_ALLOW),
    limits: linkPreviewLimits,
  });
  const attachmentDeps = { db, storage, logger, uploadLimit, maxBytes: env.ATTACHMENT_MAX_BYTES };
  const sweeper = startSweeper({
    clock: sweepClock,
    logger,
    sweep: async (now) => {
      await sweepUnsent(attachmentDeps, now);
      await eraseBytes(attachmentDeps, await deleteUnusedPreviewsBefore(db, new Date(now - PREVIEW_CACHE_MS)));
    },
  });
  // Every new user message reaches the rooms from here, batch by batch in commit order (ADR 045).
  const sends = createSendQueue(
    database.planned.pool,
    (stored) => {
      for (const message of stored) realtime.messageNew(message);
    },
    logger,
  );
  const reads = createSequencedReads(database.planned.db, pageCacheBytes);
  metrics.watchPageCache(reads.stats);
  const messageDeps = { db, realtime, sends, sendLimit, storage, logger, previews, reads };

  app.use(requestLog(logger, app.request));
  app.use(operationsRouter({ pool, redis: redis?.client }));
  app.use(metrics.httpMiddleware);
  const webDist = env.WEB_DIST && existsSync(env.WEB_DIST) ? env.WEB_DIST : undefined;
  app.use(securityHeaders({ inlineScripts: webDist ? inlineScriptHashes(webDist) : [] }));
  app.use(publicScheme(env.PUBLIC_URL));

  const api = express.Router();
  api.use(noStore);
  // No CORS here: a preflight is an unknown method like any other (API.md: 404).
  api.options(/.*/, notFound);
  // Sessions are made, regenerated and destroyed only under /auth; everywhere else a request only reads
  // its session, which costs a fraction of express-session's (ADR 057). Case-insensitive, as Express routes.
  const writesSession = /^\/auth(\/|$)/i;
  const sessionFor: express.RequestHandler = (req, res, next) =>
    (writesSession.test(req.path) ? session.middleware : session.read)(req, res, next);
  api.use(originCheck(env.PUBLIC_URL), jsonBody, sessionFor, sessionUser);
  // Each route asks for a session itself, so an unknown route or method is a 404 even when signed out.
  // The hottest routes (sends, history, catch-up) come first: Express tries each router in turn, and
  // no two routers here answer the same path, so the order changes nothing but the work per request.
  api.use(...mounted('/conversations/:id', messagesRouter(messageDeps)));
  api.use(...mounted('/conversations/:id', eventsRouter({ db, reads })));
  api.use(
    ...mounted(
      '/auth',
      authRouter({ db, passport, loginLimit, registerLimit, realtime, evictSessions: session.evict }),
    ),
  );
  api.use(...mounted('/users', usersRouter({ db, presence })));
  api.use(...mounted('/conversations', conversationsRouter({ db, realtime, createLimit })));
  api.use(...mounted('/attachments', attachmentsRouter(attachmentDeps)));
  api.use(...mounted('/link-previews', linkPreviewsRouter({ db, storage })));
  api.use(...mounted('/push', push.router()));
  api.use(...mounted('/search', searchRouter({ db })));
  api.use(notFound);
  api.use(errorHandler);
  app.use(...mounted('/api', api));

  if (webDist) app.use(spaRouter(webDist));

  return {
    app,
    server,
    metricsServer,
    io,
    storage,
    previews,
    sweeper,
    push: { idle: () => push.delivery.idle(), visibleAmong: (ids) => push.attention.visibleAmong(ids) },
    pages: reads,
    async close() {
      sweeper.stop();
      sweep.stop();
      metricsServer.close();
      // Stop accepting; idle keep-alive connections go now, in-flight requests may finish.
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Closing the transports (not a server-side disconnect) makes clients reconnect, to another replica.
      io.engine.close();
      await presence.close();
      await previews.close();
      await connectionCap.close();
      await push.close();
      await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, 8_000).unref())]);
      server.closeAllConnections();
      session.store.close();
    },
  };
}
