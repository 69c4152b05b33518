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
          const conversationIds = await conversationIdsOfUser(db, userId);
          // Gone while we were reading: counting it now would leave the user online for good.
          if (!socket.connected) return;
          socket.join(conversationIds.map(rooms.conversation));
          // A removal committed during the first read sent its socketsLeave before this socket was in
          // the room; a second read after joining sees it, and any later removal's leave finds us in.
          const still = new Set(await conversationIdsOfUser(db, userId));
          for (const id of conversationIds) if (!still.has(id)) socket.leave(rooms.conversation(id));
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
