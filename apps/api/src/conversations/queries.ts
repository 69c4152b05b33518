import { conversations, type Db, conversationMembers as members, messages, users } from '@parley/db';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';

/** Others' user messages past the member's seen prefix: a short range scan on (conversation_id, id). */
const unreadCount = sql<number>`(
  select count(*)::int from ${messages}
  where ${messages.conversationId} = ${members.conversationId}
    and ${messages.id} > ${members.seenUpTo}
    and ${messages.senderId} <> ${members.userId}
    and ${messages.kind} = 'user')`;

const lastMessageId = sql<number | null>`(
  select max(${messages.id}) from ${messages} where ${messages.conversationId} = ${conversations.id})`;

const rowColumns = {
  id: conversations.id,
  title: conversations.title,
  ownerId: conversations.ownerId,
  closedAt: conversations.closedAt,
  lastSeq: conversations.lastSeq,
  createdAt: conversations.createdAt,
  lastActivityAt: conversations.lastActivityAt,
  userId: members.userId,
  unreadCount,
  lastMessageId,
};
export type ConversationViewRow = {
  id: number;
  title: string;
  ownerId: number;
  closedAt: Date | null;
  lastSeq: number;
  createdAt: Date;
  lastActivityAt: Date;
  userId: number;
  unreadCount: number;
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

export function membersOf(db: Db, conversationIds: number[]) {
  if (conversationIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      conversationId: members.conversationId,
      id: members.userId,
      nickname: users.nickname,
      owner: members.isOwner,
      joinedAt: sql<string>`to_char(${members.joinedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(inArray(members.conversationId, conversationIds))
    .orderBy(asc(members.conversationId), asc(members.position));
}

/** The membership row with its conversation; `lock` takes the conversation's row lock (sends, closes). */
export async function findMembership(db: Db, conversationId: number, userId: number, lock = false) {
  const query = db
    .select({
      conversationId: conversations.id,
      title: conversations.title,
      ownerId: conversations.ownerId,
      closedAt: conversations.closedAt,
      lastSeq: conversations.lastSeq,
      seenUpTo: members.seenUpTo,
    })
    .from(members)
    .innerJoin(conversations, eq(conversations.id, members.conversationId))
    .where(and(eq(members.conversationId, conversationId), eq(members.userId, userId)));
  const [row] = await (lock ? query.for('update', { of: conversations }) : query);
  return row;
}

export async function insertConversation(
  db: Db,
  values: { title: string; ownerId: number; memberIds: number[] },
): Promise<number> {
  const [row] = await db
    .insert(conversations)
    .values({ title: values.title, ownerId: values.ownerId })
    .returning({ id: conversations.id });
  const id = row!.id;
  await db.insert(members).values(
    values.memberIds.map((userId, position) => ({
      conversationId: id,
      userId,
      position,
      isOwner: userId === values.ownerId,
    })),
  );
  return id;
}

export function updateConversation(db: Db, conversationId: number, values: Partial<{ title: string; closedAt: Date }>) {
  return db
    .update(conversations)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(conversations.id, conversationId));
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

/** Everyone who shares at least one conversation with `userId` (presence goes to them). */
export function contactIdsOf(db: Db, userId: number): Promise<number[]> {
  return db
    .execute<{ user_id: number }>(sql`
      select distinct other.user_id from ${members} mine
      join ${members} other on other.conversation_id = mine.conversation_id
      where mine.user_id = ${userId} and other.user_id <> ${userId}`)
    .then((res) => res.rows.map((r) => r.user_id));
}
