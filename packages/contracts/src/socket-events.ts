import { z } from 'zod';
import type { Conversation, Message } from './models.ts';

/** Payloads the server emits (API.md, Socket.IO). */
export interface MessageSeenEvent {
  conversationId: number;
  userId: number;
  messageIds: number[];
  seenAt: string;
}
export interface TypingEvent {
  conversationId: number;
  userId: number;
}
export interface PresenceEvent {
  userId: number;
  online: boolean;
}

export interface ServerToClientEvents {
  'message:new': (message: Message) => void;
  'message:seen': (event: MessageSeenEvent) => void;
  'conversation:new': (conversation: Conversation) => void;
  'conversation:updated': (conversation: Conversation) => void;
  typing: (event: TypingEvent) => void;
  presence: (event: PresenceEvent) => void;
}

export const typingClientPayload = z.object({ conversationId: z.number().int().positive() });
export type TypingClientPayload = z.infer<typeof typingClientPayload>;

export interface ClientToServerEvents {
  typing: (payload: TypingClientPayload) => void;
}

/** The Socket.IO room names; the server alone joins sockets to them. */
export const rooms = {
  user: (userId: number) => `user:${userId}`,
  conversation: (conversationId: number) => `conversation:${conversationId}`,
} as const;
