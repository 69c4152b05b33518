import { z } from 'zod';
import { type Conversation, conversationSchema, type Message, messageSchema } from './models.ts';
import { timestampSchema } from './primitives.ts';
import type { AttentionClientPayload } from './push.ts';

/*
 * The sequenced events (API.md, Conversation events and catch-up): each carries `conversationId` and
 * its change's `seq` at the top level (a Message has both), live and from `events?after=` alike.
 */
export const messageUpdatedEventSchema = z.object({
  conversationId: z.number(),
  seq: z.number(),
  /** The message's whole new state. */
  message: messageSchema,
});
export type MessageUpdatedEvent = z.infer<typeof messageUpdatedEventSchema>;

export const messageSeenEventSchema = z.object({
  conversationId: z.number(),
  seq: z.number(),
  userId: z.number(),
  messageIds: z.array(z.number()),
  seenAt: timestampSchema,
});
export type MessageSeenEvent = z.infer<typeof messageSeenEventSchema>;

export const conversationUpdatedEventSchema = z.object({
  conversationId: z.number(),
  seq: z.number(),
  /** As the recipient sees it. */
  conversation: conversationSchema,
});
export type ConversationUpdatedEvent = z.infer<typeof conversationUpdatedEventSchema>;

/** One sequenced change as `events?after=` lists it: `type` is the name of the event emitted for it. */
export const conversationEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message:new'), payload: messageSchema }),
  z.object({ type: z.literal('message:updated'), payload: messageUpdatedEventSchema }),
  z.object({ type: z.literal('message:seen'), payload: messageSeenEventSchema }),
  z.object({ type: z.literal('conversation:updated'), payload: conversationUpdatedEventSchema }),
]);
export type ConversationEvent = z.infer<typeof conversationEventSchema>;
export type ConversationEventType = ConversationEvent['type'];
export const conversationEventTypes = [
  'message:new',
  'message:updated',
  'message:seen',
  'conversation:updated',
] as const satisfies readonly ConversationEventType[];

/** The seq a sequenced payload carries, whatever its type. */
export function seqOf(event: ConversationEvent): number {
  return event.payload.seq;
}

/** Payloads of the events that are not sequenced (API.md, Socket.IO). */
export interface TypingEvent {
  conversationId: number;
  userId: number;
  /** The typist cleared their composer: stop showing them as typing. */
  stopped?: true;
}
export interface PresenceEvent {
  userId: number;
  online: boolean;
}
export interface ConversationRemovedEvent {
  conversationId: number;
}
export interface ConversationSettingsEvent {
  conversationId: number;
  muted: boolean;
}

export interface ServerToClientEvents {
  'message:new': (message: Message) => void;
  'message:updated': (event: MessageUpdatedEvent) => void;
  'message:seen': (event: MessageSeenEvent) => void;
  'conversation:new': (conversation: Conversation) => void;
  'conversation:updated': (event: ConversationUpdatedEvent) => void;
  'conversation:removed': (event: ConversationRemovedEvent) => void;
  'conversation:settings': (event: ConversationSettingsEvent) => void;
  typing: (event: TypingEvent) => void;
  presence: (event: PresenceEvent) => void;
}

/**
 * `stopped: true` (an addition to API.md) says the composer was cleared, so the others' indicator goes at
 * once instead of lingering until it expires.
 */
export const typingClientPayload = z.object({
  conversationId: z.number().int().positive(),
  stopped: z.literal(true).optional(),
});
export type TypingClientPayload = z.infer<typeof typingClientPayload>;

export interface ClientToServerEvents {
  typing: (payload: TypingClientPayload) => void;
  attention: (payload: AttentionClientPayload) => void;
}

/** The Socket.IO room names; the server alone joins sockets to them. */
export const rooms = {
  user: (userId: number) => `user:${userId}`,
  conversation: (conversationId: number) => `conversation:${conversationId}`,
} as const;
