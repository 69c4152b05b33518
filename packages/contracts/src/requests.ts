import { z } from 'zod';
import { LIMITS } from './limits.ts';
import {
  bodyIdSchema,
  clientIdSchema,
  emailSchema,
  ID_MAX,
  idSchema,
  nicknameSchema,
  passwordSchema,
  text,
  titleSchema,
} from './primitives.ts';

// Auth
export const registerBody = z.object({
  email: emailSchema,
  nickname: nicknameSchema,
  password: passwordSchema,
});
export type RegisterBody = z.infer<typeof registerBody>;

export const loginBody = z.object({
  email: text().trim().min(1, 'Email is required').max(LIMITS.emailMax),
  password: text().min(1, 'Password is required').max(LIMITS.passwordMax),
});
export type LoginBody = z.infer<typeof loginBody>;

export const updateMeBody = z.object({
  nickname: nicknameSchema.optional(),
  email: emailSchema.optional(),
  newPassword: passwordSchema.optional(),
  currentPassword: text().max(LIMITS.passwordMax).optional(),
});
export type UpdateMeBody = z.infer<typeof updateMeBody>;

// Users
export const listUsersQuery = z.object({
  q: text().max(200).optional().default(''),
  limit: z.coerce.number().int().min(1).max(LIMITS.usersMax).optional().default(LIMITS.usersDefault),
});
export type ListUsersQuery = z.infer<typeof listUsersQuery>;

// Conversations
export const conversationParams = z.object({ id: idSchema });

export const createConversationBody = z.object({
  // null, missing and blank all mean "build it from the members' nicknames".
  title: titleSchema.nullish(),
  memberIds: z.array(bodyIdSchema).min(1, 'Choose at least one other member').max(LIMITS.membersMax),
});
export type CreateConversationBody = z.infer<typeof createConversationBody>;

/** `title` sets the custom title (blank clears it: the title is computed again); `ownerId` hands ownership on. */
export const updateConversationBody = z
  .object({
    title: titleSchema.nullish(),
    ownerId: bodyIdSchema.optional(),
  })
  .refine((b) => b.title !== undefined || b.ownerId !== undefined, {
    message: 'Give a title or an ownerId',
    path: ['title'],
  });
export type UpdateConversationBody = z.infer<typeof updateConversationBody>;

export const addMembersBody = z.object({
  userIds: z.array(bodyIdSchema).min(1, 'Choose at least one person').max(LIMITS.membersMax),
});
export type AddMembersBody = z.infer<typeof addMembersBody>;

export const memberParams = z.object({ id: idSchema, userId: idSchema });
export type MemberParams = z.infer<typeof memberParams>;

// Messages
export const messageParams = z.object({ id: idSchema, messageId: idSchema });
export type MessageParams = z.infer<typeof messageParams>;

/**
 * One RGI emoji sequence (skin tones and ZWJ sequences included), as Unicode lists them. Built with
 * `new RegExp` because the `v` flag needs an ES2024 target for a literal; Node 20 and browsers have it.
 */
// biome-ignore lint/complexity/useRegexLiterals: the v flag in a literal needs an ES2024 target
const oneEmoji = new RegExp('^\\p{RGI_Emoji}$', 'v');
export const emojiSchema = z
  .string()
  .max(64, 'Not one emoji')
  .refine((value) => oneEmoji.test(value), 'Not one emoji');

/** `:emoji` arrives percent-decoded by the router. */
export const reactionParams = messageParams.extend({ emoji: emojiSchema });
export type ReactionParams = z.infer<typeof reactionParams>;

const cursor = z.coerce.number().int().min(0).max(ID_MAX);
export const listMessagesQuery = z
  .object({
    before: idSchema.optional(),
    after: cursor.optional(),
    around: idSchema.optional(),
    limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).optional().default(LIMITS.pageDefault),
  })
  .refine((q) => [q.before, q.after, q.around].filter((c) => c !== undefined).length <= 1, {
    message: 'Use one of before, after and around',
    path: ['before'],
  });
export type ListMessagesQuery = z.infer<typeof listMessagesQuery>;

/** A message carrying attachments may have no text (API.md, Limits: 0–4000 chars then). */
export const sendMessageBody = z
  .object({
    content: text().trim().max(LIMITS.contentMax, `Message must be at most ${LIMITS.contentMax} characters`),
    clientId: clientIdSchema.optional(),
    replyToId: bodyIdSchema.optional(),
    attachmentIds: z
      .array(bodyIdSchema)
      .max(LIMITS.attachmentsMax, `At most ${LIMITS.attachmentsMax} attachments`)
      .refine((ids) => new Set(ids).size === ids.length, 'An attachment is listed twice')
      .optional(),
  })
  .refine((body) => body.content.length > 0 || (body.attachmentIds?.length ?? 0) > 0, {
    message: 'Message is required',
    path: ['content'],
  });
export type SendMessageBody = z.infer<typeof sendMessageBody>;

/** Empty only for a message that carries attachments: the service knows whether it does. */
export const editMessageBody = z.object({
  content: text().trim().max(LIMITS.contentMax, `Message must be at most ${LIMITS.contentMax} characters`),
});
export type EditMessageBody = z.infer<typeof editMessageBody>;

export const markSeenBody = z.object({ upToMessageId: bodyIdSchema });
export type MarkSeenBody = z.infer<typeof markSeenBody>;

// Attachments
/** `:name` is the file's name as stored (percent-decoded by the router); it must match. */
export const attachmentParams = z.object({ id: idSchema, name: text().min(1).max(255) });
export type AttachmentParams = z.infer<typeof attachmentParams>;
export const attachmentIdParams = z.object({ id: idSchema });

// Events
export const listEventsQuery = z.object({
  after: cursor,
  limit: z.coerce.number().int().min(1).max(LIMITS.eventsMax).optional().default(LIMITS.eventsDefault),
});
export type ListEventsQuery = z.infer<typeof listEventsQuery>;

// Search
export const searchQuery = z.object({
  q: text()
    .trim()
    .min(1, 'Type something to search for')
    .max(LIMITS.searchQueryMax, `Search for at most ${LIMITS.searchQueryMax} characters`),
  conversationId: idSchema.optional(),
  before: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.searchMax).optional().default(LIMITS.searchDefault),
});
export type SearchQuery = z.infer<typeof searchQuery>;
