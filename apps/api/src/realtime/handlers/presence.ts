import { rooms } from '@parley/contracts';
import type { Db } from '@parley/db';
import type { Logger } from 'pino';
import { contactIdsOf, conversationIdsOfUser } from '../../conversations/queries.ts';
import type { Presence } from '../presence.ts';
import type { ParleyServer, ParleySocket } from '../realtime.ts';

export interface PresenceDeps {
  db: Db;
  io: ParleyServer;
  logger: Logger;
  presence: Presence;
}

/** A socket's conversation rooms and its share of its user's presence, from connect to disconnect. */
export function createPresenceHandlers({ db, io, logger, presence }: PresenceDeps) {
  /** Tells everyone who shares a conversation with `userId`. */
  async function broadcastPresence(userId: number, online: boolean) {
    const contacts = await contactIdsOf(db, userId);
    if (contacts.length > 0) io.to(contacts.map(rooms.user)).emit('presence', { userId, online });
  }

  function forSocket(socket: ParleySocket) {
    const { userId } = socket.data;
    let counted = false;
    return {
      async connect() {
        try {
          // The rooms read at the handshake were joined on connect. A removal (or a new conversation)
          // committed since sent its socketsLeave (socketsJoin) before this socket was there; a second
          // read now sees it, and any later one finds the socket in its rooms.
          const joined = new Set(socket.data.conversationIds);
          const now = new Set(await conversationIdsOfUser(db, userId));
          for (const id of joined) if (!now.has(id)) socket.leave(rooms.conversation(id));
          for (const id of now) if (!joined.has(id)) socket.join(rooms.conversation(id));
          if (!socket.connected) return;
          const cameOnline = await presence.connected(userId, socket.id);
          counted = true;
          // Closed while presence was recording it: the disconnect handler skipped it, so undo it here.
          if (!socket.connected) return await presence.disconnected(userId, socket.id);
          if (cameOnline) await broadcastPresence(userId, true);
        } catch (err) {
          logger.error({ err, userId }, 'socket setup failed');
          socket.disconnect(true);
        }
      },
      disconnect() {
        if (!counted) return;
        presence.disconnected(userId, socket.id).catch((err) => logger.error({ err }, 'presence update failed'));
      },
    };
  }

  return { forSocket, broadcastPresence };
}
