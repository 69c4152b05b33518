import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { LIMITS, rooms } from '@parley/contracts';
import type { Db } from '@parley/db';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import type { Clock } from '../clock.ts';
import { conversationIdsOfUser } from '../conversations/queries.ts';
import { AppError } from '../http/app-error.ts';
import type { RateLimit } from '../http/rate-limit.ts';
import { isOwnOrigin, schemeOf } from '../http/request-guards.ts';
import { sendError } from '../http/send-error.ts';
import type { Attention } from '../push/attention.ts';
import type { ConnectionCap } from './connection-cap.ts';
import { createAttentionHandlers } from './handlers/attention.ts';
import { createPresenceHandlers } from './handlers/presence.ts';
import { createTypingHandlers } from './handlers/typing.ts';
import type { Presence } from './presence.ts';
import { type ParleyServer, sessionRoom } from './realtime.ts';

type EngineMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

interface SocketServerDeps {
  db: Db;
  logger: Logger;
  publicUrl: string | undefined;
  session: RequestHandler;
  sessionUser: RequestHandler;
  /** Express's compiled TRUST_PROXY: whether a peer may tell us the scheme. */
  trustedProxy: (address: string, hop: number) => boolean;
  connectionCap: ConnectionCap;
}

/** Socket.IO on the API's HTTP server, sharing the REST session (Socket.IO's passport example). */
export function createSocketServer(httpServer: HttpServer, deps: SocketServerDeps): ParleyServer {
  // A dead link that never closed (lost Wi-Fi) is noticed within 8 s; presence then adds its grace.
  // Messages past 64 KiB close the connection (API.md, Conventions), as bodies past it get 413.
  const io: ParleyServer = new Server(httpServer, {
    serveClient: false,
    pingInterval: 5_000,
    pingTimeout: 3_000,
    maxHttpBufferSize: LIMITS.bodyBytes,
  });

  const originCheck: EngineMiddleware = (req, res, next) => {
    if (isOwnOrigin(req, deps.publicUrl, schemeOf(req, deps.trustedProxy))) return next();
    sendError(res, new AppError('csrf_rejected'));
  };
  // The session is read once, at the handshake; later polling requests belong to an accepted socket.
  const onHandshake =
    (middleware: RequestHandler): EngineMiddleware =>
    (req, res, next) => {
      const isHandshake = (req as { _query?: { sid?: string } })._query?.sid === undefined;
      if (!isHandshake) return next();
      (middleware as unknown as EngineMiddleware)(req, res, next);
    };
  io.engine.use(originCheck);
  io.engine.use(onHandshake(deps.session));
  io.engine.use(onHandshake(deps.sessionUser));

  io.use((socket, next) => {
    const req = socket.request as IncomingMessage & { user?: { id: number }; session?: { id: string } };
    if (!req.user || !req.session) return next(new Error('unauthorized'));
    socket.data.userId = req.user.id;
    socket.data.sessionId = req.session.id;
    next();
  });
  // At most 20 sockets per user, on every replica together (API.md, Socket.IO).
  io.use((socket, next) => {
    const { userId } = socket.data;
    deps.connectionCap.admit(userId, socket.id).then(
      (admitted) => {
        if (!admitted) return next(new Error('too_many_connections'));
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          deps.connectionCap.release(userId, socket.id).catch(() => {});
        };
        // Whichever comes first: the socket's disconnect, or its transport closing before it connected.
        socket.on('disconnect', release);
        socket.conn.once('close', release);
        next();
      },
      () => next(new Error('unavailable')),
    );
  });
  // The conversations are read before the client hears `connect`, so the socket is in every room
  // from that moment: a list the client fetches after `connect` and the events after it overlap.
  io.use((socket, next) => {
    conversationIdsOfUser(deps.db, socket.data.userId).then(
      (ids) => {
        socket.data.conversationIds = ids;
        next();
      },
      () => next(new Error('unavailable')),
    );
  });
  return io;
}

interface ConnectionDeps {
  db: Db;
  logger: Logger;
  presence: Presence;
  attention: Attention;
  clock: Clock;
  /** Typing relays per user and conversation across replicas (Redis only). */
  typingLimit?: RateLimit;
}

/**
 * Wires each connection to the per-domain handlers; what they do lives in ./handlers/. Rooms the
 * server chooses are joined here, before any await: an event sent right after connecting, a logout or
 * a new conversation must not miss this socket.
 */
export function handleConnections(
  io: ParleyServer,
  { db, logger, presence, attention, clock, typingLimit }: ConnectionDeps,
) {
  const typingHandlers = createTypingHandlers({ db, io, clock, sharedLimit: typingLimit });
  const attentionHandlers = createAttentionHandlers({ attention, logger });
  const presenceHandlers = createPresenceHandlers({ db, io, logger, presence });

  io.on('connection', (socket) => {
    socket.join([
      rooms.user(socket.data.userId),
      sessionRoom(socket.data.sessionId),
      ...socket.data.conversationIds.map(rooms.conversation),
    ]);
    const typing = typingHandlers(socket);
    const membership = presenceHandlers.forSocket(socket);
    const looking = attentionHandlers(socket);
    socket.on('typing', typing.typing);
    socket.on('attention', looking.attention);
    socket.on('disconnect', () => {
      typing.disconnect();
      looking.disconnect();
      membership.disconnect();
    });
    void membership.connect();
  });

  return { broadcastPresence: presenceHandlers.broadcastPresence };
}
