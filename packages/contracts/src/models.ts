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

export const memberSchema = z.object({
  id: z.number(),
  nickname: z.string(),
  owner: z.boolean(),
  joinedAt: timestampSchema,
});
export type Member = z.infer<typeof memberSchema>;

export const seenEntrySchema = z.object({ userId: z.number(), seenAt: timestampSchema });
export type SeenEntry = z.infer<typeof seenEntrySchema>;

/** One emoji on a message: `userIds` in the order they reacted. */
export const reactionSchema = z.object({ emoji: z.string(), userIds: z.array(z.number()) });
export type Reaction = z.infer<typeof reactionSchema>;

export const attachmentSchema = z.object({
  id: z.number(),
  name: z.string(),
  contentType: z.string(),
  size: z.number(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  url: z.string(),
  thumbnailUrl: z.string().nullable(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

/** `imageUrl` is on our own origin. */
export const linkPreviewSchema = z.object({
  url: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  siteName: z.string().nullable(),
  imageUrl: z.string().nullable(),
});
export type LinkPreview = z.infer<typeof linkPreviewSchema>;

/** The message replied to, as it is now: `excerpt` is its first 120 code points, "" once deleted. */
export const replyRefSchema = z.object({
  id: z.number(),
  sender: userSchema,
  excerpt: z.string(),
  deleted: z.boolean(),
});
export type ReplyRef = z.infer<typeof replyRefSchema>;

export const systemActions = [
  'members_added',
  'member_removed',
  'member_left',
  'renamed',
  'closed',
  'owner_changed',
] as const;
export type SystemAction = (typeof systemActions)[number];

/** What a message of kind `system` records; clients write the sentence. */
export const systemEntrySchema = z.object({
  action: z.enum(systemActions),
  userIds: z.array(z.number()),
  title: z.string().nullable(),
});
export type SystemEntry = z.infer<typeof systemEntrySchema>;

export const messageKinds = ['user', 'system'] as const;
export type MessageKind = (typeof messageKinds)[number];

export const messageSchema = z.object({
  id: z.number(),
  conversationId: z.number(),
  /** The seq of the change that created it. */
  seq: z.number(),
  kind: z.enum(messageKinds),
  sender: userSchema,
  /** "" for a tombstone and a system entry. */
  content: z.string(),
  clientId: z.string().nullable(),
  createdAt: timestampSchema,
  editedAt: timestampSchema.nullable(),
  deletedAt: timestampSchema.nullable(),
  replyTo: replyRefSchema.nullable(),
  /** By when each emoji was first added. */
  reactions: z.array(reactionSchema),
  mentions: z.array(z.number()),
  attachments: z.array(attachmentSchema),
  preview: linkPreviewSchema.nullable(),
  system: systemEntrySchema.nullable(),
  /** Never includes the sender; by seenAt, then userId. */
  seenBy: z.array(seenEntrySchema),
});
export type Message = z.infer<typeof messageSchema>;

export const conversationKinds = ['group', 'direct'] as const;
export type ConversationKind = (typeof conversationKinds)[number];

export const conversationSchema = z.object({
  id: z.number(),
  kind: z.enum(conversationKinds),
  /** What the caller should show, computed for them. */
  title: z.string(),
  customTitle: z.string().nullable(),
  /** null for a direct conversation. */
  ownerId: z.number().nullable(),
  closedAt: timestampSchema.nullable(),
  /** By joinedAt, then id. */
  members: z.array(memberSchema),
  lastMessage: messageSchema.nullable(),
  /** The number of the conversation's newest sequenced change. */
  seq: z.number(),
  unreadCount: z.number(),
  unreadMentionCount: z.number(),
  muted: z.boolean(),
  createdAt: timestampSchema,
  lastActivityAt: timestampSchema,
});
export type Conversation = z.infer<typeof conversationSchema>;
