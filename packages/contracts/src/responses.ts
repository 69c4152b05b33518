import { z } from 'zod';
import { attachmentSchema, conversationSchema, meSchema, messageSchema, userSchema } from './models.ts';
import { timestampSchema } from './primitives.ts';
import { conversationEventSchema } from './socket-events.ts';

export const meResponse = z.object({ user: meSchema });
export const usersResponse = z.object({ users: z.array(userSchema) });
export const conversationsResponse = z.object({ conversations: z.array(conversationSchema) });
export const conversationResponse = z.object({ conversation: conversationSchema });
export const messagesResponse = z.object({
  messages: z.array(messageSchema),
  /** More older messages exist (or, for `after=`, more newer ones). */
  hasMore: z.boolean(),
  /** Only for `around=`: more newer messages exist. */
  hasMoreAfter: z.boolean().optional(),
});
export const messageResponse = z.object({ message: messageSchema });
export const attachmentResponse = z.object({ attachment: attachmentSchema });
export const seenResponse = z.object({ messageIds: z.array(z.number()), seenAt: timestampSchema });
export const eventsResponse = z.object({
  /** Ascending by seq, without gaps, each payload as the thing is now. */
  events: z.array(conversationEventSchema),
  lastSeq: z.number(),
  hasMore: z.boolean(),
});

export const searchResultSchema = z.object({
  message: messageSchema,
  conversationTitle: z.string(),
  /** [start, end) ranges of UTF-16 offsets into `message.content` that matched, ascending, disjoint. */
  highlights: z.array(z.tuple([z.number(), z.number()])),
});
export const searchResponse = z.object({
  /** Newest first. */
  results: z.array(searchResultSchema),
  hasMore: z.boolean(),
});

export type MeResponse = z.infer<typeof meResponse>;
export type UsersResponse = z.infer<typeof usersResponse>;
export type ConversationsResponse = z.infer<typeof conversationsResponse>;
export type ConversationResponse = z.infer<typeof conversationResponse>;
export type MessagesResponse = z.infer<typeof messagesResponse>;
export type MessageResponse = z.infer<typeof messageResponse>;
export type AttachmentResponse = z.infer<typeof attachmentResponse>;
export type SeenResponse = z.infer<typeof seenResponse>;
export type EventsResponse = z.infer<typeof eventsResponse>;
export type SearchResult = z.infer<typeof searchResultSchema>;
export type SearchResponse = z.infer<typeof searchResponse>;
