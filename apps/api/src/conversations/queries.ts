import { findMentions, type SystemEntry } from '@parley/contracts';
import {
  conversationEvents,
  conversations,
  type Db,
  conversationMembers as members,
  messages,
  users,
} from '@parley/db';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { preparedPerHandle } from '../prepared-per-handle.ts';

/** Others' user messages past the member's seen prefix: a short range scan on (conversation_id, id). */
const unread = (extra?: ReturnType<typeof sql>) => sql<number>`(
  select count(*)::int from ${messages}
  where ${messages.conversationId} = ${members.conversationId}
    and ${messages.id} > ${members.seenUpTo}
    and ${messages.senderId} <> ${members.userId}
    and ${messages.kind} = 'user'${extra ? sql` and ${extra}` : sql``})`;
const unreadCount = unread();
const unreadMentionCount = unread(sql`${members.userId} = any(${messages.mentions})`);

const lastMessageId = sql<number | null>`(
  select max(${messages.id}) from ${messages} where ${messages.conversationId} = ${conversations.id})`;

const rowColumns = {
  id: conversations.id,
  kind: sql<'group' | 'direct'>`${conversations.kind}`,
  customTitle: conversations.customTitle,
  ownerId: conversations.ownerId,
  closedAt: conversations.closedAt,
  lastSeq: conversations.lastSeq,
  createdAt: conversations.createdAt,
  lastActivityAt: conversations.lastActivityAt,
  userId: members.userId,
  muted: members.muted,
  unreadCount,
  unreadMentionCount,
  lastMessageId,
};
export type ConversationViewRow = {
  id: number;
  kind: 'group' | 'direct';
  customTitle: string | null;
  ownerId: number | null;
  closedAt: Date | null;
  lastSeq: number;
  createdAt: Date;
  lastActivityAt: Date;
  userId: number;
  muted: boolean;
  unreadCount: number;
  unreadMentionCount: number;
  lastMessageId: number | null;
};

/** The caller's conversations, newest activity first. */
export function conversationRowsOfUser(db: Db, userId: number): Promise<ConversationViewRow[]> {
  return db
    .select(rowColumns)
    .from(members)
    .innerJoin(conversations, eq(conversations.id, members.conversationId))
    .where(eq(members.userId, userId))
    .orderBy(desc(conversations.lastActivityAt), desc(conversations.id));
}

/** One conversation as each of its members sees it (their own unread count): one row per member. */
export function conversationRowsOfMembers(
  db: Db,
  conversationId: number,
  userIds?: number[],
): Promise<ConversationViewRow[]> {
  return db
    .select(rowColumns)
    .from(members)
    .innerJoin(conversations, eq(conversations.id, members.conversationId))
    .where(and(eq(members.conversationId, conversationId), userIds ? inArray(members.userId, userIds) : undefined));
}

/** Members in join order (the creator's list, then each addition); `owner` read from the conversation. */
export function membersOf(db: Db, conversationIds: number[]) {
  if (conversationIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      conversationId: members.conversationId,
      id: members.userId,
      nickname: users.nickname,
      owner: sql<boolean>`coalesce(${members.userId} = ${conversations.ownerId}, false)`,
      joinedAt: sql<string>`to_char(${members.joinedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .innerJoin(conversations, eq(conversations.id, members.conversationId))
    .where(inArray(members.conversationId, conversationIds))
    .orderBy(asc(members.conversationId), asc(members.position));
}

/**
 * What the titles of these conversations are made of: a conversation's own title, or, only where it
 * has none, its members' nicknames in join order (title.ts). One prepared statement: a search page
 * names its conversations with it.
 */
const titleSourcesStatement = preparedPerHandle((db) => {
  // Named `c` and written out: drizzle leaves the columns of a one-table select unqualified, and `id` in
  // the subquery would be u.id.
  const c = alias(conversations, 'c');
  return db
    .select({
      id: c.id,
      kind: sql<'group' | 'direct'>`${c.kind}`,
      customTitle: c.customTitle,
      members: sql<{ id: number; nickname: string }[] | null>`case when c.custom_title is null then (
        select json_agg(json_build_object('id', m.user_id, 'nickname', u.nickname) order by m.position)
        from ${members} m join ${users} u on u.id = m.user_id
        where m.conversation_id = c.id) end`,
    })
    .from(c)
    .where(sql`${c.id} = any(${sql.placeholder('ids')}::int[])`)
    .prepare('conversation_title_sources');
});

export function titleSourcesOf(db: Db, conversationIds: number[]) {
  return titleSourcesStatement(db).execute({ ids: conversationIds });
}

/** The membership row with its conversation; `lock` takes the conversation's row lock (every change). */
export async function findMembership(db: Db, conversationId: number, userId: number, lock = false) {
  const query = db
    .select({
      conversationId: conversations.id,
      kind: sql<'group' | 'direct'>`${conversations.kind}`,
      customTitle: conversations.customTitle,
      ownerId: conversations.ownerId,
      closedAt: conversations.closedAt,
      lastSeq: conversations.lastSeq,
      seenUpTo: members.seenUpTo,
      muted: members.muted,
    })
    .from(members)
    .innerJoin(conversations, eq(conversations.id, members.conversationId))
    .where(and(eq(members.conversationId, conversationId), eq(members.userId, userId)));
  const [row] = await (lock ? query.for('update', { of: conversations }) : query);
  return row;
}

export async function insertGroup(
  db: Db,
  values: { customTitle: string | null; ownerId: number; memberIds: number[] },
): Promise<number> {
  const [row] = await db
    .insert(conversations)
    .values({ kind: 'group', customTitle: values.customTitle, ownerId: values.ownerId })
    .returning({ id: conversations.id });
  await insertMembers(db, row!.id, values.memberIds);
  return row!.id;
}

export const directKeyOf = (a: number, b: number) => `${Math.min(a, b)}:${Math.max(a, b)}`;

/**
 * The pair's direct conversation, made unless it exists. The unique key decides a race: the second
 * insert waits for the first to commit, does nothing, and then reads the one the first made.
 */
export async function insertOrFindDirect(db: Db, pair: [number, number]): Promise<{ id: number; created: boolean }> {
  const directKey = directKeyOf(...pair);
  const [row] = await db
    .insert(conversations)
    .values({ kind: 'direct', directKey })
    .onConflictDoNothing({ target: conversations.directKey })
    .returning({ id: conversations.id });
  if (row) {
    await insertMembers(db, row.id, pair);
    return { id: row.id, created: true };
  }
  const [existing] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(eq(conversations.directKey, directKey));
  if (!existing) throw new Error(`direct conversation ${directKey} is neither new nor there`);
  return { id: existing.id, created: false };
}

function insertMembers(db: Db, conversationId: number, memberIds: number[]) {
  return db.insert(members).values(memberIds.map((userId, position) => ({ conversationId, userId, position })));
}

/**
 * Adds those of `userIds` who are not members yet, after everyone there, each starting with every
 * message seen (API.md: unread 0); returns the ids added, in the order given.
 */
export async function addMembers(db: Db, conversationId: number, userIds: number[]): Promise<number[]> {
  const result = await db.execute<{ user_id: number }>(sql`
    insert into ${members} (conversation_id, user_id, position, seen_up_to)
    select ${conversationId}, given.user_id,
      (select coalesce(max(position), -1) from ${members} where conversation_id = ${conversationId}) + given.n,
      (select coalesce(max(id), 0) from ${messages} where conversation_id = ${conversationId})
    from unnest(${`{${userIds.join(',')}}`}::int[]) with ordinality as given(user_id, n)
    on conflict do nothing
    returning user_id`);
  const added = new Set(result.rows.map((r) => r.user_id));
  return userIds.filter((id) => added.has(id));
}

export function memberCount(db: Db, conversationId: number): Promise<number> {
  return db
    .select({ n: sql<number>`count(*)::int` })
    .from(members)
    .where(eq(members.conversationId, conversationId))
    .then((rows) => rows[0]?.n ?? 0);
}

/** Deletes the membership; false when `userId` was not a member. */
export async function deleteMember(db: Db, conversationId: number, userId: number): Promise<boolean> {
  const removed = await db
    .delete(members)
    .where(and(eq(members.conversationId, conversationId), eq(members.userId, userId)))
    .returning({ userId: members.userId });
  return removed.length > 0;
}

/** Who inherits a group: the member who joined first, then the lowest id (API.md). */
export async function firstJoinedMember(db: Db, conversationId: number): Promise<number | undefined> {
  const [row] = await db
    .select({ userId: members.userId })
    .from(members)
    .where(eq(members.conversationId, conversationId))
    .orderBy(asc(members.joinedAt), asc(members.userId))
    .limit(1);
  return row?.userId;
}

export function isMemberOf(db: Db, conversationId: number, userId: number): Promise<boolean> {
  return db
    .select({ userId: members.userId })
    .from(members)
    .where(and(eq(members.conversationId, conversationId), eq(members.userId, userId)))
    .then((rows) => rows.length > 0);
}

export function deleteConversation(db: Db, conversationId: number) {
  return db.delete(conversations).where(eq(conversations.id, conversationId));
}

export function updateConversation(
  db: Db,
  conversationId: number,
  values: Partial<{ customTitle: string | null; ownerId: number; closedAt: Date }>,
) {
  return db
    .update(conversations)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(conversations.id, conversationId));
}

export function setMuted(db: Db, conversationId: number, userId: number, muted: boolean) {
  return db
    .update(members)
    .set({ muted })
    .where(and(eq(members.conversationId, conversationId), eq(members.userId, userId)));
}

/**
 * Writes a system entry with the conversation's next seq, and its `message:new` row in the log, in
 * the caller's transaction (ADR 028: a change with an entry takes two numbers, its own first).
 */
export async function insertSystemEntry(
  db: Db,
  conversationId: number,
  senderId: number,
  entry: SystemEntry,
): Promise<number> {
  const result = await db.execute<{ id: number }>(sql`
    with bumped as (
      update ${conversations} set last_seq = last_seq + 1, last_activity_at = now()
      where id = ${conversationId} returning id, last_seq
    ), inserted as (
      insert into ${messages} (conversation_id, seq, kind, sender_id, content, system_action, system_user_ids, system_title)
      select id, last_seq, 'system', ${senderId}, '', ${entry.action},
        ${`{${entry.userIds.join(',')}}`}::int[], ${entry.title}
      from bumped
      returning id, conversation_id, seq
    ), logged as (
      insert into ${conversationEvents} (conversation_id, seq, type, message_id)
      select conversation_id, seq, 'message:new', id from inserted
    )
    select id from inserted`);
  const row = result.rows[0];
  if (!row) throw new Error(`conversation ${conversationId} is gone`);
  return row.id;
}

export function advanceSeenUpTo(db: Db, conversationId: number, userId: number, upTo: number) {
  return db
    .update(members)
    .set({ seenUpTo: sql`greatest(${members.seenUpTo}, ${upTo})` })
    .where(and(eq(members.conversationId, conversationId), eq(members.userId, userId)));
}

export function conversationIdsOfUser(db: Db, userId: number): Promise<number[]> {
  return db
    .select({ id: members.conversationId })
    .from(members)
    .where(eq(members.userId, userId))
    .then((rows) => rows.map((r) => r.id));
}

/**
 * The members `content` mentions (API.md, Message text), from the members as this reads them; without
 * an `@` there is nothing to look up, so most sends cost no extra query.
 */
export async function mentionsIn(db: Db, conversationId: number, content: string): Promise<number[]> {
  if (!content.includes('@')) return [];
  return findMentions(content, await nicknamesOfMembers(db, conversationId));
}

/** The members' ids and nicknames, for working out mentions. */
export function nicknamesOfMembers(db: Db, conversationId: number) {
  return db
    .select({ id: members.userId, nickname: users.nickname })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(eq(members.conversationId, conversationId));
}

/** Everyone who shares at least one conversation with `userId` (presence goes to them). */
export function contactIdsOf(db: Db, userId: number): Promise<number[]> {
  return db
    .execute<{ user_id: number }>(sql`
      select distinct other.user_id from ${members} mine
      join ${members} other on other.conversation_id = mine.conversation_id
      where mine.user_id = ${userId} and other.user_id <> ${userId}`)
    .then((res) => res.rows.map((r) => r.user_id));
}
