import { LIMITS, type Message } from '@parley/contracts';
import {
  attachments,
  conversationEvents,
  conversationMembers,
  conversations,
  type Db,
  linkPreviews,
  messageReactions,
  messages,
  seenMessages,
  users,
} from '@parley/db';
import { and, asc, desc, eq, exists, fillPlaceholders, gt, lt, type Placeholder, type SQL, sql } from 'drizzle-orm';
import { type AnyPgColumn, PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { preparedPerHandle } from '../prepared-per-handle.ts';
import { searchTextOf } from '../search/search-text.ts';
import { type MessageRow, toMessage } from './message.ts';

/** A timestamp as the contract writes it (ISO-8601, UTC, milliseconds), straight from SQL. */
const iso = <T extends string | null = string>(value: SQL | SQL.Aliased | AnyPgColumn) =>
  sql<T>`to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Receipts of a message as JSON in the same row, so a page is one query (no N+1). */
const seenBy = sql<Message['seenBy']>`coalesce((
  select json_agg(json_build_object('userId', s.user_id, 'seenAt', ${iso(sql`s.seen_at`)}) order by s.seen_at, s.user_id)
  from ${seenMessages} s where s.message_id = ${messages.id}), '[]'::json)`;

/**
 * Reactions as JSON in the same row: by when each emoji was first added, each emoji's users in the
 * order they reacted (API.md, Shapes); the primary key's message_id prefix finds them.
 */
const reactions = sql<Message['reactions']>`coalesce((
  select json_agg(json_build_object('emoji', g.emoji, 'userIds', g.user_ids) order by g.first_at, g.emoji)
  from (
    select r.emoji, array_agg(r.user_id order by r.created_at, r.user_id) as user_ids, min(r.created_at) as first_at
    from ${messageReactions} r where r.message_id = ${messages.id} group by r.emoji
  ) g), '[]'::json)`;

/**
 * The quote of message `id` as it is now: its first 120 code points (PostgreSQL counts characters,
 * not UTF-16 units), "" once deleted since a tombstone's content is "".
 */
const quoteOf = (id: SQL | AnyPgColumn) => sql<Message['replyTo']>`(
  select json_build_object(
    'id', o.id,
    'sender', json_build_object('id', ou.id, 'nickname', ou.nickname),
    'excerpt', left(o.content, ${sql.raw(String(LIMITS.excerptMax))}),
    'deleted', o.deleted_at is not null)
  from ${messages} o join ${users} ou on ou.id = o.sender_id
  where o.id = ${id})`;
const replyTo = quoteOf(messages.replyToId);

/** Attachments as JSON in the same row, in upload order; built into the contract's shape by toAttachment. */
const attachmentJson = (a: string) =>
  sql.raw(`json_build_object('id', ${a}.id, 'name', ${a}.name, 'contentType', ${a}.content_type,
    'size', ${a}.size, 'width', ${a}.width, 'height', ${a}.height,
    'hasThumbnail', ${a}.thumbnail_key is not null)`);
const attachmentsOf = sql<MessageRow['attachments']>`coalesce((
  select json_agg(${attachmentJson('a')} order by a.id)
  from ${attachments} a where a.message_id = ${messages.id}), '[]'::json)`;

/** The stored preview, shared by every message of its URL fetched within the hour. */
const previewOf = sql<MessageRow['preview']>`(
  select json_build_object('id', p.id, 'url', p.url, 'title', p.title, 'description', p.description,
    'siteName', p.site_name, 'hasImage', p.image_key is not null)
  from ${linkPreviews} p where p.id = ${messages.previewId})`;

/** Every column a Message is built from; each read path selects exactly these. */
const messageColumns = {
  id: messages.id,
  conversationId: messages.conversationId,
  seq: messages.seq,
  kind: messages.kind,
  senderId: messages.senderId,
  senderNickname: users.nickname,
  content: messages.content,
  clientId: messages.clientId,
  createdAt: iso(messages.createdAt),
  editedAt: iso<string | null>(messages.editedAt),
  deletedAt: iso<string | null>(messages.deletedAt),
  replyTo,
  reactions,
  seenBy,
  mentions: messages.mentions,
  systemAction: messages.systemAction,
  systemUserIds: messages.systemUserIds,
  systemTitle: messages.systemTitle,
  attachments: attachmentsOf,
  preview: previewOf,
};

/** Messages by id, in no particular order (a missing id is left out); prepared, like the history pages. */
export async function messagesByIds(db: Db, ids: number[]): Promise<Message[]> {
  if (ids.length === 0) return [];
  const rows = await byIdsStatement(db).execute({ ids });
  return rows.map(toMessage);
}

const isMember = (conversationId: number | Placeholder, userId: number | Placeholder) =>
  exists(
    sql`(select 1 from ${conversationMembers} m where m.conversation_id = ${conversationId} and m.user_id = ${userId})`,
  );

/**
 * History pages are the hottest read: prepared once per database handle, so PostgreSQL plans them
 * once per connection instead of on every request.
 */
function pageStatements(db: Db) {
  const page = (name: string, cursor: SQL | undefined, forward: boolean) =>
    db
      .select(messageColumns)
      .from(messages)
      .innerJoin(users, eq(users.id, messages.senderId))
      .where(
        and(
          eq(messages.conversationId, sql.placeholder('conversationId')),
          cursor,
          isMember(sql.placeholder('conversationId'), sql.placeholder('userId')),
        ),
      )
      .orderBy(forward ? asc(messages.id) : desc(messages.id))
      .limit(sql.placeholder('limit'))
      .prepare(name);
  return {
    newest: page('messages_newest', undefined, false),
    before: page('messages_before', lt(messages.id, sql.placeholder('cursor')), false),
    after: page('messages_after', gt(messages.id, sql.placeholder('cursor')), true),
  };
}

/**
 * One page of history as `userId` may read it, ascending by id; walks the (conversation_id, id) index
 * in either direction. Empty both for an empty page and for a non-member: the caller tells them apart.
 */
export async function messagesPage(
  db: Db,
  conversationId: number,
  userId: number,
  page: { before?: number; after?: number; limit: number },
): Promise<{ messages: Message[]; hasMore: boolean }> {
  const forward = page.after !== undefined;
  const statements = statementsOf(db);
  const statement = forward ? statements.after : page.before !== undefined ? statements.before : statements.newest;
  const rows = await statement.execute({
    conversationId,
    userId,
    cursor: page.after ?? page.before,
    limit: page.limit + 1,
  });
  const hasMore = rows.length > page.limit;
  const pageRows = rows.slice(0, page.limit);
  if (!forward) pageRows.reverse();
  return { messages: pageRows.map(toMessage), hasMore };
}

/**
 * The page holding message `around`: it and the older half of `limit`, then the newer half, with the
 * same two prepared walks as `before` and `after`. Undefined when `around` is not in the page (not a
 * message of this conversation, or not a member).
 */
export async function messagesAround(
  db: Db,
  conversationId: number,
  userId: number,
  around: number,
  limit: number,
): Promise<{ messages: Message[]; hasMore: boolean; hasMoreAfter: boolean } | undefined> {
  const newerCount = Math.floor(limit / 2);
  const olderCount = limit - newerCount;
  const statements = statementsOf(db);
  const [older, newer] = await Promise.all([
    statements.before.execute({ conversationId, userId, cursor: around + 1, limit: olderCount + 1 }),
    statements.after.execute({ conversationId, userId, cursor: around, limit: newerCount + 1 }),
  ]);
  if (older[0]?.id !== around) return undefined;
  const pageRows = [...older.slice(0, olderCount).reverse(), ...newer.slice(0, newerCount)];
  return {
    messages: pageRows.map(toMessage),
    hasMore: older.length > olderCount,
    hasMoreAfter: newer.length > newerCount,
  };
}

const statementsOf = preparedPerHandle(pageStatements);

/**
 * Prepared per handle too: a transaction (a catch-up read) builds it once for itself, the pool once for
 * every search result, conversation list and re-read of a change.
 */
const byIdsStatement = preparedPerHandle((db) =>
  db
    .select(messageColumns)
    .from(messages)
    .innerJoin(users, eq(users.id, messages.senderId))
    .where(sql`${messages.id} = any(${sql.placeholder('ids')}::int[])`)
    .prepare('messages_by_ids'),
);

/** The message this sender already sent with `clientId` to this conversation, while they are a member of it. */
export async function findBySenderClientId(
  db: Db,
  senderId: number,
  conversationId: number,
  clientId: string,
): Promise<Message | undefined> {
  const [row] = await db
    .select(messageColumns)
    .from(messages)
    .innerJoin(users, eq(users.id, messages.senderId))
    .where(
      and(
        eq(messages.senderId, senderId),
        eq(messages.conversationId, conversationId),
        eq(messages.clientId, clientId),
        isMember(conversationId, senderId),
      ),
    );
  return row && toMessage(row);
}

/** One send as the batch statement takes it (the service has validated the body and worked out mentions). */
export interface NewMessage {
  conversationId: number;
  senderId: number;
  content: string;
  clientId: string | null;
  replyToId: number | null;
  mentions: number[];
  attachmentIds: number[];
}

const intArrayLiteral = (values: number[]) => `{${values.join(',')}}`;

/** The batch's columns, one array parameter each: the statement's text never changes. */
const batchColumns: Record<string, (m: NewMessage) => string | number | null> = {
  conversationIds: (m) => m.conversationId,
  senderIds: (m) => m.senderId,
  contents: (m) => m.content,
  searchTexts: (m) => searchTextOf(m.content),
  clientIds: (m) => m.clientId,
  replyToIds: (m) => m.replyToId,
  mentions: (m) => intArrayLiteral(m.mentions),
  attachmentIds: (m) => intArrayLiteral(m.attachmentIds),
};
const column = (name: string) => sql.placeholder(name);

// The new rows come back in the columns of `messageColumns`, so the send answers what history reads.
const insertMessagesSql = sql`
    with input as (
      select * from unnest(
        ${column('conversationIds')}::int[], ${column('senderIds')}::int[],
        ${column('contents')}::text[], ${column('searchTexts')}::text[],
        ${column('clientIds')}::text[], ${column('replyToIds')}::int[],
        ${column('mentions')}::text[], ${column('attachmentIds')}::text[]
      ) with ordinality as t(conversation_id, sender_id, content, search_text, client_id, reply_to_id,
        mentions, attachment_ids, ord)
    ), wanted_uploads as materialized (
      -- The uploads named, locked through their primary key: every batch locks them in the same order,
      -- whatever order its sends name them in, so two batches never deadlock. Of two batches claiming one,
      -- the second waits and then reads it taken. Unsent is checked after the lock, outside: as a condition
      -- of this scan it let the planner walk the index of every unsent upload instead (ADR 056).
      select a.id, a.uploader_id, a.message_id from ${attachments} a
      where a.id = any(${column('allAttachmentIds')}::int[])
      for update
    ), claimable as (
      select id, uploader_id from wanted_uploads where message_id is null
    ), valid as (
      -- Joins, not subqueries under an OR: PostgreSQL may answer those by hashing the whole messages
      -- table, and a plan kept per connection (ADR 052) would then read every message on every send
      -- (ADR 056). A null clientId equals no row, so the retry check needs no OR.
      select i.* from input i
      left join ${messages} o on o.id = i.reply_to_id and o.conversation_id = i.conversation_id
        and o.kind = 'user' and o.deleted_at is null
      where exists (select 1 from ${conversationMembers} m
          where m.conversation_id = i.conversation_id and m.user_id = i.sender_id)
        and (i.reply_to_id is null or o.id is not null)
        and not exists (select 1 from ${messages} x where x.sender_id = i.sender_id
          and x.conversation_id = i.conversation_id and x.client_id = i.client_id)
        and (select count(*) from claimable c where c.id = any(i.attachment_ids::int[])
          and c.uploader_id = i.sender_id) = cardinality(i.attachment_ids::int[])
    ), counted as (
      select conversation_id, count(*)::int as n from valid group by conversation_id
    ), locked as (
      select c.id from ${conversations} c where c.id in (select conversation_id from counted)
      order by c.id for update
    ), bumped as (
      -- Under the lock, closed_at is read as committed: a send never lands after a close.
      update ${conversations} c set last_seq = c.last_seq + counted.n, last_activity_at = now()
      from counted, locked
      where c.id = counted.conversation_id and locked.id = c.id and c.closed_at is null
      returning c.id, c.last_seq, counted.n
    ), numbered as (
      select v.*, b.last_seq - b.n + row_number() over (partition by v.conversation_id order by v.ord) as seq
      from valid v join bumped b on b.id = v.conversation_id
    ), ided as (
      -- Ids drawn in the order given, so within a conversation id order is seq order (history walks ids).
      select nextval('messages_id_seq')::int as id, o.*
      from (select * from numbered order by ord) o
    ), inserted as (
      insert into ${messages} (id, conversation_id, seq, sender_id, content, search_text, client_id, reply_to_id,
        mentions)
      select id, conversation_id, seq, sender_id, content, search_text, client_id, reply_to_id, mentions::int[]
      from ided
      returning id, conversation_id, seq, kind, sender_id, content, client_id, created_at, mentions, reply_to_id
    ), claimed as (
      update ${attachments} a set message_id = ided.id from ided
      where a.id = any(ided.attachment_ids::int[]) and a.id in (select id from claimable)
      returning a.*
    ), logged as (
      insert into ${conversationEvents} (conversation_id, seq, type, message_id)
      select conversation_id, seq, 'message:new', id from inserted
    )
    select ided.ord::int as ord, inserted.id, inserted.conversation_id as "conversationId", inserted.seq,
      inserted.kind, inserted.sender_id as "senderId", u.nickname as "senderNickname", inserted.content,
      inserted.client_id as "clientId", ${iso(sql`inserted.created_at`)} as "createdAt",
      null as "editedAt", null as "deletedAt", ${quoteOf(sql`inserted.reply_to_id`)} as "replyTo",
      '[]'::json as reactions, '[]'::json as "seenBy", inserted.mentions,
      null as "systemAction", null as "systemUserIds", null as "systemTitle",
      coalesce((select json_agg(${attachmentJson('c')} order by c.id) from claimed c where c.message_id = inserted.id),
        '[]'::json) as attachments,
      null as preview
    from inserted join ided on ided.id = inserted.id join ${users} u on u.id = inserted.sender_id
    order by ided.ord`;
/**
 * Rendered once: a named statement, so each connection has PostgreSQL parse and plan it once
 * (planning this statement cost more than running it for a small batch).
 */
const insertMessagesQuery = new PgDialect().sqlToQuery(insertMessagesSql);

/** What runs the batch statement: the pool, never a transaction (a batch is its own). */
export type Queryable = Pick<pg.Pool, 'query'>;

/**
 * Stores a batch of sends in one statement, so a batch pays one commit (ADR 045). Each send is
 * checked as a lone send would be: by a member, of an open conversation, a reply to a live user
 * message of the same conversation, attaching the sender's own uploads not yet sent, a `clientId` not
 * used yet. The conversations are locked in id order (two batches never deadlock), each counter is
 * bumped once by the number of its sends, and the sends of one conversation take its numbers, and
 * their ids, in the order given; the event log records each. Answers, for each send in the order
 * given, the stored message, or undefined when a check did not hold. The caller never puts two sends
 * claiming one upload or one (sender, conversation, clientId) in a batch: the unique index would fail
 * the whole statement.
 */
export async function insertMessages(pool: Queryable, batch: NewMessage[]): Promise<(Message | undefined)[]> {
  const values: Record<string, unknown> = { allAttachmentIds: intArrayLiteral(batch.flatMap((m) => m.attachmentIds)) };
  for (const [name, pick] of Object.entries(batchColumns)) values[name] = batch.map(pick);
  const result = await pool.query<MessageRow & { ord: number }>({
    name: 'insert_messages',
    text: insertMessagesQuery.sql,
    values: fillPlaceholders(insertMessagesQuery.params, values),
  });
  const stored = new Map(result.rows.map((row) => [row.ord, toMessage(row)]));
  return batch.map((_, index) => stored.get(index + 1));
}

/** A message one may reply to (API.md, `replyToId`): of this conversation, a user message, not deleted. */
const replyTarget = (conversationId: number) =>
  sql`${messages.conversationId} = ${conversationId} and ${messages.kind} = 'user' and ${messages.deletedAt} is null`;

export async function isReplyTarget(db: Db, conversationId: number, messageId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.id, messageId), replyTarget(conversationId)));
  return row !== undefined;
}

/**
 * Marks as seen by `userId` every user message from others in (fromId, toId]; returns the ids newly marked.
 */
export function insertSeen(db: Db, conversationId: number, userId: number, fromId: number, toId: number) {
  return db.execute<{ message_id: number; seen_at: string }>(sql`
    insert into ${seenMessages} (message_id, user_id, seen_at)
    select ${messages.id}, ${userId}, now() from ${messages}
    where ${messages.conversationId} = ${conversationId} and ${messages.id} > ${fromId}
      and ${messages.id} <= ${toId} and ${messages.senderId} <> ${userId} and ${messages.kind} = 'user'
    on conflict do nothing
    returning message_id, ${iso(sql`seen_at`)} as seen_at`);
}

export async function lastMessageId(db: Db, conversationId: number): Promise<number> {
  const [row] = await db
    .select({ id: sql<number | null>`max(${messages.id})` })
    .from(messages)
    .where(eq(messages.conversationId, conversationId));
  return row?.id ?? 0;
}
