import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { LIMITS, rooms, typingClientPayload } from '@parley/contracts';
import type { Db } from '@parley/db';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import { requireMember, requireOpen } from '../conversations/access.ts';
import { contactIdsOf, conversationIdsOfUser } from '../conversations/queries.ts';
import { AppError } from '../http/app-error.ts';
import { errorBody } from '../http/error-handler.ts';
import { isOwnOrigin, schemeOf } from '../http/request-guards.ts';
import type { ConnectionCap } from './connection-cap.ts';
import type { Presence } from './presence.ts';
import { type ParleyServer, sessionRoom } from './realtime.ts';
import { createTypingThrottle } from './typing.ts';

type EngineMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

interface SocketServerDeps {
  db: Db;
  logger: Logger;
  publicUrl: string | undefined;
  session: RequestHandler;
  passportSession: RequestHandler;
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
    res.writeHead(403, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(errorBody(new AppError('csrf_rejected'))));
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
  io.engine.use(onHandshake(deps.passportSession));

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
  return io;
}

interface ConnectionDeps {
  db: Db;
  logger: Logger;
  presence: Presence;
}

/** What happens on each connection: rooms the server chooses, presence, typing. */
export function handleConnections(io: ParleyServer, { db, logger, presence }: ConnectionDeps) {
  const throttle = createTypingThrottle();

  async function broadcastPresence(userId: number, online: boolean) {
    const contacts = await contactIdsOf(db, userId);
    if (contacts.length > 0) io.to(contacts.map(rooms.user)).emit('presence', { userId, online });
  }

  io.on('connection', async (socket) => {
    const { userId, sessionId } = socket.data;
    // Listeners and the rooms that need no query first, before any await: an event sent right after
    // connecting, a logout or a new conversation must not miss this socket.
    socket.join([rooms.user(userId), sessionRoom(sessionId)]);
    let counted = false;

    socket.on('typing', async (payload) => {
      const parsed = typingClientPayload.safeParse(payload);
      if (!parsed.success) return;
      const { conversationId } = parsed.data;
      if (!throttle.allow(userId, conversationId)) return;
      try {
        requireOpen(await requireMember(db, conversationId, userId));
      } catch {
        return; // not a member, or closed: ignored (API.md)
      }
      io.to(rooms.conversation(conversationId)).except(rooms.user(userId)).emit('typing', { conversationId, userId });
    });

    socket.on('disconnect', () => {
      if (!counted) return;
      presence.disconnected(userId, socket.id).catch((err) => logger.error({ err }, 'presence update failed'));
    });

    try {
      const conversationIds = await conversationIdsOfUser(db, userId);
      // Gone while we were reading: counting it now would leave the user online for good.
      if (!socket.connected) return;
      socket.join(conversationIds.map(rooms.conversation));
      const cameOnline = await presence.connected(userId, socket.id);
      counted = true;
      // Closed while presence was recording it: the disconnect handler skipped it, so undo it here.
      if (!socket.connected) return await presence.disconnected(userId, socket.id);
      if (cameOnline) await broadcastPresence(userId, true);
    } catch (err) {
      logger.error({ err, userId }, 'socket setup failed');
      socket.disconnect(true);
    }
  });

  return { broadcastPresence };
}
