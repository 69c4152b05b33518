import type { Message } from '@parley/contracts';
import { conversations, type Db, messages, seenMessages, users } from '@parley/db';
import { and, asc, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';

const messageColumns = {
  id: messages.id,
  conversationId: messages.conversationId,
  seq: messages.seq,
  senderId: messages.senderId,
  senderNickname: users.nickname,
  content: messages.content,
  clientId: messages.clientId,
  createdAt: messages.createdAt,
};
type MessageRow = {
  id: number;
  conversationId: number;
  seq: number;
  senderId: number;
  senderNickname: string;
  content: string;
  clientId: string | null;
  createdAt: Date;
};

/** Adds `seenBy` to message rows with one query for the whole page (no N+1). */
async function withSeenBy(db: Db, rows: MessageRow[]): Promise<Message[]> {
  const seen = rows.length
    ? await db
        .select({
          messageId: seenMessages.messageId,
          userId: seenMessages.userId,
          seenAt: seenMessages.seenAt,
        })
        .from(seenMessages)
        .where(
          inArray(
            seenMessages.messageId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(asc(seenMessages.seenAt), asc(seenMessages.userId))
    : [];
  const byMessage = new Map<number, Message['seenBy']>();
  for (const s of seen) {
    const list = byMessage.get(s.messageId) ?? [];
    list.push({ userId: s.userId, seenAt: s.seenAt.toISOString() });
    byMessage.set(s.messageId, list);
  }
  return rows.map((r) => ({
    id: r.id,
    conversationId: r.conversationId,
    seq: r.seq,
    sender: { id: r.senderId, nickname: r.senderNickname },
    content: r.content,
    clientId: r.clientId,
    createdAt: r.createdAt.toISOString(),
    seenBy: byMessage.get(r.id) ?? [],
  }));
}

export async function messagesByIds(db: Db, ids: number[]): Promise<Message[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select(messageColumns)
    .from(messages)
    .innerJoin(users, eq(users.id, messages.senderId))
    .where(inArray(messages.id, ids));
  return withSeenBy(db, rows);
}

/** One page of history, ascending by id; walks the (conversation_id, id) index in either direction. */
export async function messagesPage(
  db: Db,
  conversationId: number,
  page: { before?: number; after?: number; limit: number },
): Promise<{ messages: Message[]; hasMore: boolean }> {
  const forward = page.after !== undefined;
  const rows = await db
    .select(messageColumns)
    .from(messages)
    .innerJoin(users, eq(users.id, messages.senderId))
    .where(
      and(
        eq(messages.conversationId, conversationId),
        page.before !== undefined ? lt(messages.id, page.before) : undefined,
        page.after !== undefined ? gt(messages.id, page.after) : undefined,
      ),
    )
    .orderBy(forward ? asc(messages.id) : desc(messages.id))
    .limit(page.limit + 1);
  const hasMore = rows.length > page.limit;
  const pageRows = rows.slice(0, page.limit);
  if (!forward) pageRows.reverse();
  return { messages: await withSeenBy(db, pageRows), hasMore };
}

export function findBySenderClientId(db: Db, senderId: number, clientId: string) {
  return db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.senderId, senderId), eq(messages.clientId, clientId)))
    .then((rows) => rows[0]);
}

/**
 * Stores a message with the conversation's next `seq`. The caller holds the conversation's row lock,
 * so seq and id follow commit order.
 */
export async function insertMessage(
  db: Db,
  values: { conversationId: number; senderId: number; content: string; clientId: string | null },
): Promise<number> {
  const [counter] = await db
    .update(conversations)
    .set({ lastSeq: sql`${conversations.lastSeq} + 1`, lastActivityAt: sql`now()` })
    .where(eq(conversations.id, values.conversationId))
    .returning({ seq: conversations.lastSeq });
  const [row] = await db
    .insert(messages)
    .values({ ...values, seq: counter!.seq })
    .returning({ id: messages.id });
  return row!.id;
}

/**
 * Marks as seen by `userId` every message from others in (fromId, toId]; returns the ids newly marked.
 */
export function insertSeen(db: Db, conversationId: number, userId: number, fromId: number, toId: number) {
  return db.execute<{ message_id: number; seen_at: Date }>(sql`
    insert into ${seenMessages} (message_id, user_id, seen_at)
    select ${messages.id}, ${userId}, now() from ${messages}
    where ${messages.conversationId} = ${conversationId} and ${messages.id} > ${fromId}
      and ${messages.id} <= ${toId} and ${messages.senderId} <> ${userId}
    on conflict do nothing
    returning message_id, seen_at`);
}

export async function lastMessageId(db: Db, conversationId: number): Promise<number> {
  const [row] = await db
    .select({ id: sql<number | null>`max(${messages.id})` })
    .from(messages)
    .where(eq(messages.conversationId, conversationId));
  return row?.id ?? 0;
}
