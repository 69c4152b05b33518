import { z } from 'zod';
import { timestampSchema } from './primitives.ts';

export const userSchema = z.object({ id: z.number(), nickname: z.string(), online: z.boolean().optional() });
export type User = z.infer<typeof userSchema>;

export const meSchema = z.object({
  id: z.number(),
  nickname: z.string(),
  email: z.string(),
  createdAt: timestampSchema,
});
export type Me = z.infer<typeof meSchema>;

export const memberSchema = z.object({ id: z.number(), nickname: z.string(), owner: z.boolean() });
export type Member = z.infer<typeof memberSchema>;

export const seenEntrySchema = z.object({ userId: z.number(), seenAt: timestampSchema });
export type SeenEntry = z.infer<typeof seenEntrySchema>;

export const messageSchema = z.object({
  id: z.number(),
  conversationId: z.number(),
  seq: z.number(),
  sender: userSchema,
  content: z.string(),
  clientId: z.string().nullable(),
  createdAt: timestampSchema,
  /** Never includes the sender. */
  seenBy: z.array(seenEntrySchema),
});
export type Message = z.infer<typeof messageSchema>;

export const conversationSchema = z.object({
  id: z.number(),
  title: z.string(),
  ownerId: z.number(),
  closedAt: timestampSchema.nullable(),
  members: z.array(memberSchema),
  lastMessage: messageSchema.nullable(),
  unreadCount: z.number(),
  createdAt: timestampSchema,
  lastActivityAt: timestampSchema,
});
export type Conversation = z.infer<typeof conversationSchema>;
