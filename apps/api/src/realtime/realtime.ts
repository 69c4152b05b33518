import {
  type ClientToServerEvents,
  type Conversation,
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
    disconnectSession(sessionId) {
      io.in(sessionRoom(sessionId)).disconnectSockets(true);
    },
  };
}
