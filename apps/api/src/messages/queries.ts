import type { Message } from '@parley/contracts';
import { conversationMembers, conversations, type Db, messages, seenMessages, users } from '@parley/db';
import { and, asc, desc, eq, exists, gt, inArray, lt, type Placeholder, type SQL, sql } from 'drizzle-orm';

/** A timestamp as the contract writes it (ISO-8601, UTC, milliseconds), straight from SQL. */
const iso = (value: SQL | SQL.Aliased | typeof messages.createdAt) =>
  sql<string>`to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Receipts of a message as JSON in the same row, so a page is one query (no N+1). */
const seenBy = sql<Message['seenBy']>`coalesce((
  select json_agg(json_build_object('userId', s.user_id, 'seenAt', ${iso(sql`s.seen_at`)}) order by s.seen_at, s.user_id)
  from ${seenMessages} s where s.message_id = ${messages.id}), '[]'::json)`;

const messageColumns = {
  id: messages.id,
  conversationId: messages.conversationId,
  seq: messages.seq,
  senderId: messages.senderId,
  senderNickname: users.nickname,
  content: messages.content,
  clientId: messages.clientId,
  createdAt: iso(messages.createdAt),
  seenBy,
};

/** Fields of the v2 Message that nothing stores yet. */
const laterFields = {
  editedAt: null,
  deletedAt: null,
  replyTo: null,
  reactions: [],
  mentions: [],
  attachments: [],
  preview: null,
  system: null,
} satisfies Partial<Message>;

function toMessage(row: {
  id: number;
  conversationId: number;
  seq: number;
  senderId: number;
  senderNickname: string;
  content: string;
  clientId: string | null;
  createdAt: string;
  seenBy: Message['seenBy'];
}): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    kind: 'user',
    sender: { id: row.senderId, nickname: row.senderNickname },
    content: row.content,
    clientId: row.clientId,
    createdAt: row.createdAt,
    ...laterFields,
    seenBy: row.seenBy,
  };
}

export async function messagesByIds(db: Db, ids: number[]): Promise<Message[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select(messageColumns)
    .from(messages)
    .innerJoin(users, eq(users.id, messages.senderId))
    .where(inArray(messages.id, ids));
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
const prepared = new WeakMap<Db, ReturnType<typeof pageStatements>>();

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
  let statements = prepared.get(db);
  if (!statements) {
    statements = pageStatements(db);
    prepared.set(db, statements);
  }
  const forward = page.after !== undefined;
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

export async function findBySenderClientId(db: Db, senderId: number, clientId: string): Promise<Message | undefined> {
  const [row] = await db
    .select(messageColumns)
    .from(messages)
    .innerJoin(users, eq(users.id, messages.senderId))
    .where(and(eq(messages.senderId, senderId), eq(messages.clientId, clientId)));
  return row && toMessage(row);
}

/**
 * Stores a message in one statement: the conversation's counter is bumped under its row lock (held
 * only for this statement), but only for a member of an open conversation, and the message takes that
 * `seq`. No row back means "not a member, or closed". A second `clientId` of one sender fails on
 * messages_sender_client_id_key and rolls the counter back with it.
 */
export async function insertMessage(
  db: Db,
  values: { conversationId: number; senderId: number; content: string; clientId: string | null },
): Promise<Message | undefined> {
  const { conversationId, senderId, content, clientId } = values;
  const result = await db.execute<{ id: number; seq: number; created_at: string; nickname: string }>(sql`
    with bumped as (
      update ${conversations} set last_seq = last_seq + 1, last_activity_at = now()
      where id = ${conversationId} and closed_at is null and ${isMember(conversationId, senderId)}
      returning id, last_seq
    ), inserted as (
      insert into ${messages} (conversation_id, seq, sender_id, content, client_id)
      select id, last_seq, ${senderId}, ${content}, ${clientId} from bumped
      returning id, seq, created_at
    )
    select inserted.id, inserted.seq, ${iso(sql`inserted.created_at`)} as created_at, u.nickname
    from inserted join ${users} u on u.id = ${senderId}`);
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    conversationId,
    seq: row.seq,
    kind: 'user',
    sender: { id: senderId, nickname: row.nickname },
    content,
    clientId,
    createdAt: row.created_at,
    ...laterFields,
    seenBy: [],
  };
}

/**
 * Marks as seen by `userId` every message from others in (fromId, toId]; returns the ids newly marked.
 */
export function insertSeen(db: Db, conversationId: number, userId: number, fromId: number, toId: number) {
  return db.execute<{ message_id: number; seen_at: string }>(sql`
    insert into ${seenMessages} (message_id, user_id, seen_at)
    select ${messages.id}, ${userId}, now() from ${messages}
    where ${messages.conversationId} = ${conversationId} and ${messages.id} > ${fromId}
      and ${messages.id} <= ${toId} and ${messages.senderId} <> ${userId}
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
