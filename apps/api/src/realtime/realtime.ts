import {
  type ClientToServerEvents,
  type Conversation,
  type ConversationSettingsEvent,
  type Message,
  type MessageSeenEvent,
  type MessageUpdatedEvent,
  rooms,
  type ServerToClientEvents,
} from '@parley/contracts';
import type { Server, Socket } from 'socket.io';

export type ParleyServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type ParleySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export interface SocketData {
  userId: number;
  sessionId: string;
  /** The user's conversations when the socket was accepted: its rooms from the first moment. */
  conversationIds: number[];
}

export const sessionRoom = (sessionId: string) => `session:${sessionId}`;

/**
 * What services tell connected clients. Every call happens after the write it describes is committed.
 * With the Redis adapter each call reaches the sockets of every replica.
 */
export interface Realtime {
  messageNew(message: Message): void;
  messageUpdated(event: MessageUpdatedEvent): void;
  messageSeen(event: MessageSeenEvent): void;
  /** Joins every member's sockets to the new room, then sends each member their own view. */
  conversationNew(conversationId: number, views: Map<number, Conversation>): void;
  conversationUpdated(seq: number, views: Map<number, Conversation>): void;
  /**
   * Joins (leaves) the users' sockets to (from) the conversation's room on every replica, and resolves
   * once every replica has done it: what is emitted afterwards reaches (misses) them everywhere.
   */
  joinRoom(conversationId: number, userIds: number[]): Promise<void>;
  leaveRoom(conversationId: number, userIds: number[]): Promise<void>;
  conversationRemoved(conversationId: number, userId: number): void;
  conversationSettings(userId: number, event: ConversationSettingsEvent): void;
  disconnectSession(sessionId: string): void;
}

export function createRealtime(io: ParleyServer): Realtime {
  return {
    messageNew(message) {
      io.to(rooms.conversation(message.conversationId)).emit('message:new', message);
    },
    messageUpdated(event) {
      io.to(rooms.conversation(event.conversationId)).emit('message:updated', event);
    },
    messageSeen(event) {
      io.to(rooms.conversation(event.conversationId)).emit('message:seen', event);
    },
    conversationNew(conversationId, views) {
      const userRooms = [...views.keys()].map(rooms.user);
      io.in(userRooms).socketsJoin(rooms.conversation(conversationId));
      for (const [userId, view] of views) io.to(rooms.user(userId)).emit('conversation:new', view);
    },
    conversationUpdated(seq, views) {
      for (const [userId, conversation] of views) {
        io.to(rooms.user(userId)).emit('conversation:updated', { conversationId: conversation.id, seq, conversation });
      }
    },
    async joinRoom(conversationId, userIds) {
      const userRooms = userIds.map(rooms.user);
      io.in(userRooms).socketsJoin(rooms.conversation(conversationId));
      await everyReplicaHasApplied(io, userRooms);
    },
    async leaveRoom(conversationId, userIds) {
      const userRooms = userIds.map(rooms.user);
      io.in(userRooms).socketsLeave(rooms.conversation(conversationId));
      await everyReplicaHasApplied(io, userRooms);
    },
    conversationRemoved(conversationId, userId) {
      io.to(rooms.user(userId)).emit('conversation:removed', { conversationId });
    },
    conversationSettings(userId, event) {
      io.to(rooms.user(userId)).emit('conversation:settings', event);
    },
    disconnectSession(sessionId) {
      io.in(sessionRoom(sessionId)).disconnectSockets(true);
    },
  };
}

/**
 * A barrier after socketsJoin/socketsLeave: with the Redis adapter both are requests published on one
 * channel from one connection, which every replica handles in order, so when each has answered this
 * later request it has applied the earlier one. A replica that does not answer in time (gone) holds
 * no sockets worth waiting for.
 */
async function everyReplicaHasApplied(io: ParleyServer, userRooms: string[]): Promise<void> {
  await io
    .in(userRooms)
    .fetchSockets()
    .catch(() => undefined);
}
