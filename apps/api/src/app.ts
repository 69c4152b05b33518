import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { Database } from '@parley/db';
import { createAdapter } from '@socket.io/redis-adapter';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { RedisClientType } from 'redis';
import { createPassport } from './auth/passport.ts';
import { authRouter } from './auth/routes.ts';
import { createSessionMiddleware } from './auth/session.ts';
import { type Clock, systemClock } from './clock.ts';
import { conversationsRouter } from './conversations/routes.ts';
import type { Env } from './env.ts';
import { eventsRouter } from './events/routes.ts';
import { errorHandler, notFound } from './http/error-handler.ts';
import { createRateLimit } from './http/rate-limit.ts';
import { jsonBody, noStore, originCheck } from './http/request-guards.ts';
import { mounted } from './http/route-pattern.ts';
import { spaRouter } from './http/spa.ts';
import { messagesRouter } from './messages/routes.ts';
import { operationsRouter } from './observability/health.ts';
import { safeError } from './observability/logger.ts';
import { createMetrics } from './observability/metrics.ts';
import type { Attention } from './push/attention.ts';
import type { PushDelivery } from './push/delivery.ts';
import { createWebPush } from './push/web-push.ts';
import { createLocalPresence, type Presence } from './realtime/presence.ts';
import { createRealtime, type ParleyServer } from './realtime/realtime.ts';
import { createRedisPresence } from './realtime/redis-presence.ts';
import { createSocketServer, handleConnections } from './realtime/socket-server.ts';
import { usersRouter } from './users/routes.ts';

export interface AppDeps {
  env: Pick<
    Env,
    | 'PUBLIC_URL'
    | 'LOGIN_RATE_LIMIT'
    | 'LOGIN_RATE_WINDOW_SECONDS'
    | 'SEND_RATE_LIMIT'
    | 'SEND_RATE_WINDOW_SECONDS'
    | 'WEB_DIST'
  > &
    Partial<Pick<Env, 'VAPID_PUBLIC_KEY' | 'VAPID_PRIVATE_KEY' | 'VAPID_SUBJECT' | 'PUSH_ENDPOINT_ALLOW'>>;
  database: Database;
  sessionSecret: string;
  logger: Logger;
  /** How long a user stays online after their last socket closes (tests shorten it). */
  presenceGraceMs?: number;
  /** The time every throttle and grace period reads (tests pass one they move by hand). */
  clock?: Clock;
  /**
   * With Redis, events reach sockets on every replica and presence and rate limits are shared.
   * `sub` is a second connection in subscriber mode; `prefix` keeps deployments (and test runs) apart.
   */
  redis?: { client: RedisClientType; sub: RedisClientType; prefix: string };
  /** A certificate push services may present besides the system's trusted ones (tests' fake one). */
  pushCa?: string;
}

export interface App {
  app: Express;
  server: HttpServer;
  io: ParleyServer;
  /** Web push as tests observe it: `idle()` once every push queued so far is answered or given up. */
  push: Pick<PushDelivery, 'idle'> & Pick<Attention, 'visibleAmong'>;
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
  clock = systemClock,
  redis,
  pushCa,
}: AppDeps): App {
  const { db, pool } = database;
  const app = express();
  const server = createServer(app);
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.disable('x-powered-by');

  const evictionChannel = `${redis?.prefix}:sessions:evicted`;
  const session = createSessionMiddleware(
    pool,
    sessionSecret,
    redis && {
      publish: (ids) => void redis.client.publish(evictionChannel, JSON.stringify(ids)).catch(() => {}),
      subscribe: (onEvict) => void redis.sub.subscribe(evictionChannel, (message) => onEvict(JSON.parse(message))),
    },
  );
  const shared = redis?.client;
  const prefixed = (name: string) => (redis ? `${redis.prefix}:${name}` : name);
  const loginLimits = {
    perIp: createRateLimit(prefixed('login-ip'), env.LOGIN_RATE_LIMIT, env.LOGIN_RATE_WINDOW_SECONDS, shared),
    perEmail: createRateLimit(prefixed('login-email'), env.LOGIN_RATE_LIMIT, env.LOGIN_RATE_WINDOW_SECONDS, shared),
  };
  const sendLimit = createRateLimit(prefixed('send'), env.SEND_RATE_LIMIT, env.SEND_RATE_WINDOW_SECONDS, shared);

  const passport = createPassport({ db, loginLimits });
  const passportSession = passport.session();

  const io = createSocketServer(server, {
    db,
    logger,
    publicUrl: env.PUBLIC_URL,
    session: session.middleware,
    passportSession,
  });
  if (redis) io.adapter(createAdapter(redis.client, redis.sub, { key: `${redis.prefix}:socket.io` }));
  const metrics = createMetrics(pool, () => io.of('/').sockets.size);
  const push = createWebPush({ db, env, logger, redis, ca: pushCa, onResult: metrics.countPush });
  const realtime = push.pushing(metrics.instrument(createRealtime(io)));

  let connections: ReturnType<typeof handleConnections> | undefined;
  const announceOffline = (userId: number) => {
    connections?.broadcastPresence(userId, false).catch((err) => logger.error({ err }, 'presence broadcast failed'));
  };
  const presence: Presence = redis
    ? createRedisPresence(redis.client, redis.prefix, announceOffline, { graceMs: presenceGraceMs, clock })
    : createLocalPresence(announceOffline, { graceMs: presenceGraceMs, clock });
  connections = handleConnections(io, { db, logger, presence, attention: push.attention, clock });

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        // A proxy's request id is kept when it looks like one; anything else from outside is replaced.
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => !req.url?.startsWith('/api') },
      // Method, path and status only: headers carry cookies, bodies carry passwords and messages.
      serializers: {
        req: (req) => ({ id: req.id, method: req.method, url: req.url?.split('?')[0] }),
        res: (res) => ({ statusCode: res.statusCode }),
        err: safeError,
      },
    }),
  );
  app.use(operationsRouter({ pool, redis: redis?.client, metrics }));
  app.use(metrics.httpMiddleware);
  app.use(
    helmet({
      // Plain http on localhost must keep working; TLS is the reverse proxy's business.
      contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null } },
      strictTransportSecurity: false,
    }),
  );

  const api = express.Router();
  api.use(noStore);
  // No CORS here: a preflight is an unknown method like any other (API.md: 404).
  api.options(/.*/, notFound);
  api.use(originCheck(env.PUBLIC_URL), jsonBody, session.middleware, passportSession);
  // Each route asks for a session itself, so an unknown route or method is a 404 even when signed out.
  api.use(...mounted('/auth', authRouter({ db, passport, loginLimits, realtime, evictSessions: session.evict })));
  api.use(...mounted('/users', usersRouter({ db, presence })));
  api.use(...mounted('/conversations', conversationsRouter({ db, realtime })));
  api.use(...mounted('/conversations/:id', messagesRouter({ db, realtime, sendLimit })));
  api.use(...mounted('/conversations/:id', eventsRouter({ db })));
  api.use(...mounted('/push', push.router()));
  api.use(notFound);
  api.use(errorHandler);
  app.use(...mounted('/api', api));

  if (env.WEB_DIST && existsSync(env.WEB_DIST)) app.use(spaRouter(env.WEB_DIST));

  return {
    app,
    server,
    io,
    push: { idle: () => push.delivery.idle(), visibleAmong: (ids) => push.attention.visibleAmong(ids) },
    async close() {
      // Stop accepting; idle keep-alive connections go now, in-flight requests may finish.
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Closing the transports (not a server-side disconnect) makes clients reconnect, to another replica.
      io.engine.close();
      await presence.close();
      await push.close();
      await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, 8_000).unref())]);
      server.closeAllConnections();
      session.store.close();
    },
  };
}
