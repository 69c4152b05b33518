import type { ListMessagesQuery, Message, SendMessageBody } from '@parley/contracts';
import type { Db } from '@parley/db';
import { requireMember, requireOpen } from '../conversations/access.ts';
import { advanceSeenUpTo } from '../conversations/queries.ts';
import type { RateLimit } from '../http/rate-limit.ts';
import type { Realtime } from '../realtime/realtime.ts';
import {
  findBySenderClientId,
  insertMessage,
  insertSeen,
  lastMessageId,
  messagesByIds,
  messagesPage,
} from './queries.ts';

export interface MessageDeps {
  db: Db;
  realtime: Realtime;
  sendLimit: RateLimit;
}

export async function listMessages(
  { db }: MessageDeps,
  userId: number,
  conversationId: number,
  query: ListMessagesQuery,
) {
  await requireMember(db, conversationId, userId);
  return messagesPage(db, conversationId, query);
}

/**
 * Stores a message once per (sender, clientId). The conversation's row lock serialises sends, so the
 * closed check cannot race a close and `seq` has no gaps. The event goes out after the commit.
 */
export async function sendMessage(
  { db, realtime, sendLimit }: MessageDeps,
  userId: number,
  conversationId: number,
  body: SendMessageBody,
): Promise<{ message: Message; created: boolean }> {
  const result = await db.transaction(async (tx) => {
    const membership = await requireMember(tx, conversationId, userId, { lock: true });
    if (body.clientId) {
      const existing = await findBySenderClientId(tx, userId, body.clientId);
      if (existing) return { id: existing.id, created: false };
    }
    requireOpen(membership);
    // Counted only for new messages: a retry of one already stored must never be refused.
    await sendLimit.consume(String(userId));
    const id = await insertMessage(tx, {
      conversationId,
      senderId: userId,
      content: body.content,
      clientId: body.clientId ?? null,
    });
    return { id, created: true };
  });
  const [message] = await messagesByIds(db, [result.id]);
  if (result.created) realtime.messageNew(message!);
  return { message: message!, created: result.created };
}

/** Marks others' messages up to `upToMessageId` as seen now; marking twice changes nothing. */
export async function markSeen(
  { db, realtime }: MessageDeps,
  userId: number,
  conversationId: number,
  upToMessageId: number,
): Promise<{ messageIds: number[]; seenAt: string }> {
  const result = await db.transaction(async (tx) => {
    const membership = await requireMember(tx, conversationId, userId);
    // Never past the newest committed message: one committed later must still count as unseen.
    const upTo = Math.min(upToMessageId, await lastMessageId(tx, conversationId));
    if (upTo <= membership.seenUpTo) return { messageIds: [], seenAt: new Date() };
    const inserted = await insertSeen(tx, conversationId, userId, membership.seenUpTo, upTo);
    await advanceSeenUpTo(tx, conversationId, userId, upTo);
    const messageIds = inserted.rows.map((r) => r.message_id).sort((a, b) => a - b);
    return { messageIds, seenAt: inserted.rows[0]?.seen_at ?? new Date() };
  });
  const seenAt = new Date(result.seenAt).toISOString();
  if (result.messageIds.length > 0) {
    realtime.messageSeen({ conversationId, userId, messageIds: result.messageIds, seenAt });
  }
  return { messageIds: result.messageIds, seenAt };
}
