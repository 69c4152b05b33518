import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  json,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';

/** PostgreSQL's tsvector, which Drizzle has no column type for; only the database writes it. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

const createdAt = () => timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow();

export const users = pgTable(
  'users',
  {
    id: serial('id').primaryKey(),
    email: varchar('email', { length: 254 }).notNull(),
    nickname: varchar('nickname', { length: 32 }).notNull(),
    passwordHash: text('password_hash').notNull(),
    /**
     * The nickname's look-alike key (apps/api users/nickname-key.ts: TR39 skeleton of the case-folded
     * form). Written by the API on every nickname write; null only for accounts from before it whose
     * key another, older account already had (ADR 027).
     */
    nicknameKey: text('nickname_key'),
    createdAt: createdAt(),
  },
  (t) => [
    // Case-insensitive uniqueness lives in the database, so a race between two sign-ups cannot break it.
    uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`),
    uniqueIndex('users_nickname_lower_key').on(sql`lower(${t.nickname})`),
    // Look-alike nicknames are one nickname, and the database keeps it so under races too.
    uniqueIndex('users_nickname_key_key').on(t.nicknameKey),
  ],
);

/**
 * How many times anyone's nickname has changed: one row, bumped in the statement that renames. Pages
 * embed senders' nicknames and a rename is no conversation's event, so cached pages are keyed by this
 * too (ADR 046).
 */
export const nicknameVersion = pgTable(
  'nickname_version',
  {
    id: integer('id').primaryKey().default(1),
    version: integer('version').notNull().default(0),
  },
  (t) => [check('nickname_version_single_row', sql`${t.id} = 1`)],
);

export const conversations = pgTable(
  'conversations',
  {
    id: serial('id').primaryKey(),
    /** 'group', or 'direct' for the one conversation of a pair of people (ADR 038). */
    kind: varchar('kind', { length: 16 }).notNull().default('group'),
    /** A direct conversation's pair, 'lowId:highId'; unique, so two concurrent creates make one. */
    directKey: varchar('direct_key', { length: 32 }),
    /** The title the owner set; null means the title is computed for each viewer when read. */
    customTitle: varchar('custom_title', { length: 100 }),
    /** The one source of who owns a group; null for a direct conversation (members' `owner` is read from it). */
    ownerId: integer('owner_id').references(() => users.id),
    closedAt: timestamp('closed_at', { withTimezone: true, precision: 3 }),
    /** The last `seq` handed out; a send takes the next one while holding this row's lock. */
    lastSeq: integer('last_seq').notNull().default(0),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    check('conversations_custom_title_not_blank', sql`length(trim(${t.customTitle})) > 0`),
    check('conversations_kind', sql`${t.kind} in ('group', 'direct')`),
    // A group has exactly one owner; a direct conversation has none and carries its pair.
    check(
      'conversations_kind_shape',
      sql`(${t.kind} = 'group' and ${t.ownerId} is not null and ${t.directKey} is null)
        or (${t.kind} = 'direct' and ${t.ownerId} is null and ${t.directKey} is not null and ${t.customTitle} is null)`,
    ),
    uniqueIndex('conversations_direct_key').on(t.directKey),
  ],
);

export const conversationMembers = pgTable(
  'conversation_members',
  {
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    /** The member's own setting (API.md, mute): no notification except for mentions. */
    muted: boolean('muted').notNull().default(false),
    /**
     * Join order: the creator's member list first, then each addition after it, so the computed title
     * and member order are stable (people who joined together keep the order they were named in).
     */
    position: integer('position').notNull(),
    /**
     * Seen marks every message up to an id (API.md), so what a member has seen of others' messages is
     * always a prefix: this is its end, and unread counts are a range scan past it.
     */
    seenUpTo: integer('seen_up_to').notNull().default(0),
    joinedAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.userId] }),
    // A user's conversation list starts from this index.
    index('conversation_members_user_idx').on(t.userId, t.conversationId),
  ],
);

/**
 * A page's preview as fetched once for a URL (as the message wrote it); messages share a row, so a
 * URL is fetched at most once an hour across conversations. `imageKey`: our stored, resized copy.
 */
export const linkPreviews = pgTable(
  'link_previews',
  {
    id: serial('id').primaryKey(),
    url: text('url').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    siteName: text('site_name'),
    imageKey: text('image_key'),
    fetchedAt: timestamp('fetched_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('link_previews_url_idx').on(t.url, t.fetchedAt)],
);

export const messages = pgTable(
  'messages',
  {
    id: serial('id').primaryKey(),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    /** 'user', or 'system' for an entry that records a change of the conversation. */
    kind: varchar('kind', { length: 16 }).notNull().default('user'),
    senderId: integer('sender_id')
      .notNull()
      .references(() => users.id),
    /** "" for a tombstone (erased, not hidden) and for a system entry; 1–4000 chars otherwise (the API checks). */
    content: text('content').notNull(),
    /**
     * The content without markup (`toPlainText` in contracts), lower-cased, written by the app on every
     * send and edit, "" for tombstones and system entries: search reads this text, never the Markdown.
     */
    searchText: text('search_text').notNull().default(''),
    /** The words of `search_text` in the `simple` configuration: no language, no stemming (ADR 038). */
    searchVector: tsvector('search_vector')
      .notNull()
      .generatedAlwaysAs(sql`to_tsvector('simple'::regconfig, search_text)`),
    clientId: varchar('client_id', { length: 64 }),
    /** Same conversation, not a system entry: the service checks, a foreign key cannot. */
    replyToId: integer('reply_to_id').references((): AnyPgColumn => messages.id),
    editedAt: timestamp('edited_at', { withTimezone: true, precision: 3 }),
    deletedAt: timestamp('deleted_at', { withTimezone: true, precision: 3 }),
    /** Members the content mentions, worked out by the server on send and edit (API.md, Message text). */
    mentions: integer('mentions').array().notNull().default(sql`'{}'::int[]`),
    /** A system entry's action, the users it is about and the new custom title (null for kind 'user'). */
    systemAction: varchar('system_action', { length: 32 }),
    systemUserIds: integer('system_user_ids').array(),
    systemTitle: varchar('system_title', { length: 100 }),
    /** The preview of the message's first URL, once fetched; null again when the sender removes it. */
    previewId: integer('preview_id').references(() => linkPreviews.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    // History pages walk (conversation_id, id); seq is unique per conversation.
    uniqueIndex('messages_conversation_seq_key').on(t.conversationId, t.seq),
    index('messages_conversation_id_idx').on(t.conversationId, t.id),
    // A clientId is unique per sender and conversation (API.md): a retry finds its original here.
    uniqueIndex('messages_sender_client_id_key').on(t.senderId, t.conversationId, t.clientId),
    // Word search (prefixes, phrases) reads the GIN index of the vector; text in scripts written
    // without spaces is matched as a substring, which only a trigram index serves (ADR 038).
    index('messages_search_vector_idx').using('gin', t.searchVector),
    index('messages_search_text_trgm_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
    check('messages_content_length', sql`length(${t.content}) <= 4000`),
    check('messages_kind', sql`${t.kind} in ('user', 'system')`),
  ],
);

export const messageReactions = pgTable(
  'message_reactions',
  {
    messageId: integer('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    /** One RGI emoji sequence, as the API validated it. */
    emoji: varchar('emoji', { length: 64 }).notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    // Microseconds, not the usual milliseconds: reactions are ordered by when they were added.
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The key's message_id prefix serves a message's reactions, already grouped by emoji; the order by
  // time is sorted from those few rows (a separate (message_id, created_at) index went unused).
  (t) => [primaryKey({ columns: [t.messageId, t.emoji, t.userId] })],
);

/**
 * The log behind `events?after=` (ADR 028): one row per sequenced change, holding references only.
 * Payloads are rebuilt from the current state when read, so they describe things as they are now.
 */
export const conversationEvents = pgTable(
  'conversation_events',
  {
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    /** The Socket.IO event emitted for the change: message:new, message:updated, message:seen, conversation:updated. */
    type: varchar('type', { length: 32 }).notNull(),
    /**
     * message:new and message:updated: the message, read as it is now. No foreign key: messages go
     * only with their conversation, which takes its events with it.
     */
    messageId: integer('message_id'),
    /** message:seen: who marked which messages when; a receipt never changes, so it is kept as it was. */
    userId: integer('user_id').references(() => users.id),
    messageIds: integer('message_ids').array(),
    seenAt: timestamp('seen_at', { withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.seq] }),
    check(
      'conversation_events_type',
      sql`${t.type} in ('message:new', 'message:updated', 'message:seen', 'conversation:updated')`,
    ),
  ],
);

/**
 * An uploaded file: the uploader's alone until a message claims it (`messageId`), then its
 * conversation's. The bytes live in storage under `storageKey` (and `thumbnailKey` for images).
 */
export const attachments = pgTable(
  'attachments',
  {
    id: serial('id').primaryKey(),
    uploaderId: integer('uploader_id')
      .notNull()
      .references(() => users.id),
    messageId: integer('message_id').references(() => messages.id, { onDelete: 'cascade' }),
    name: varchar('name', { length: 255 }).notNull(),
    contentType: varchar('content_type', { length: 127 }).notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    width: integer('width'),
    height: integer('height'),
    storageKey: text('storage_key').notNull(),
    thumbnailKey: text('thumbnail_key'),
    createdAt: createdAt(),
  },
  (t) => [
    // A message's attachments are read with it, in upload order.
    index('attachments_message_idx').on(t.messageId, t.id),
    // The sweep of uploads never sent.
    index('attachments_unsent_idx').on(t.createdAt).where(sql`${t.messageId} is null`),
  ],
);

export const seenMessages = pgTable(
  'seen_messages',
  {
    messageId: integer('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    seenAt: timestamp('seen_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.messageId] }), index('seen_messages_message_idx').on(t.messageId)],
);

/** connect-pg-simple's table, declared here so the migrations own it. */
export const sessions = pgTable(
  'session',
  {
    sid: varchar('sid').primaryKey(),
    sess: json('sess').notNull(),
    expire: timestamp('expire', { precision: 6 }).notNull(),
  },
  (t) => [index('IDX_session_expire').on(t.expire)],
);

export type UserRow = typeof users.$inferSelect;

/**
 * A browser's push subscription, owned by the session that made it: when the session row goes
 * (logout, a new password, expiry pruned by the store) its subscriptions go with it.
 */
export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    id: serial('id').primaryKey(),
    sessionId: varchar('session_id')
      .notNull()
      .references(() => sessions.sid, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    endpoint: text('endpoint').notNull(),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // One row per browser subscription; subscribing again from another session moves it there.
    uniqueIndex('push_subscriptions_endpoint_key').on(t.endpoint),
    // Who is pushed reads the subscriptions of a conversation's members.
    index('push_subscriptions_user_idx').on(t.userId),
    index('push_subscriptions_session_idx').on(t.sessionId),
  ],
);

/** The VAPID key pair when the environment gives none: one row, written by whichever replica starts first. */
export const pushVapidKeys = pgTable(
  'push_vapid_keys',
  {
    id: integer('id').primaryKey().default(1),
    publicKey: text('public_key').notNull(),
    privateKey: text('private_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [check('push_vapid_keys_single_row', sql`${t.id} = 1`)],
);
