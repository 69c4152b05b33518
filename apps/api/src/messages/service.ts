import { LIMITS, type ListMessagesQuery, type Message, type SendMessageBody } from '@parley/contracts';
import { type Db, pgErrorOf, UNIQUE_VIOLATION } from '@parley/db';
import type { Logger } from 'pino';
import { unsentIdsOf } from '../attachments/queries.ts';
import type { Storage } from '../attachments/storage.ts';
import { requireMember, requireOpen } from '../conversations/access.ts';
import { advanceSeenUpTo, mentionsIn } from '../conversations/queries.ts';
import { recordEvent } from '../events/queries.ts';
import { AppError } from '../http/app-error.ts';
import type { RateLimit } from '../http/rate-limit.ts';
import { firstUrl } from '../link-previews/first-url.ts';
import type { LinkPreviews } from '../link-previews/service.ts';
import type { SequencedReads } from '../read-cache/sequenced-read.ts';
import type { Realtime } from '../realtime/realtime.ts';
import {
  findBySenderClientId,
  insertSeen,
  isReplyTarget,
  lastMessageId,
  messagesAround,
  messagesPage,
} from './queries.ts';
import type { SendQueue } from './send-queue.ts';

export interface MessageDeps {
  db: Db;
  realtime: Realtime;
  /** Stores sends in batches and tells the room about each batch in seq order (ADR 045). */
  sends: SendQueue;
  sendLimit: RateLimit;
  /** Where a deleted message's attachment bytes are erased from. */
  storage: Storage;
  logger: Logger;
  previews: LinkPreviews;
  /** History pages, served again while their conversation's seq stands (ADR 046). */
  reads: SequencedReads;
}

export async function listMessages(
  { db }: MessageDeps,
  userId: number,
  conversationId: number,
  query: ListMessagesQuery,
) {
  if (query.around !== undefined) {
    const page = await messagesAround(db, conversationId, userId, query.around, query.limit);
    if (page) return page;
    await requireMember(db, conversationId, userId);
    throw new AppError('validation_failed', undefined, { around: 'Not a message of this conversation.' });
  }
  const page = await messagesPage(db, conversationId, userId, query);
  // The page query reads only as a member; an empty page may mean "not a member" (404).
  if (page.messages.length === 0) await requireMember(db, conversationId, userId);
  return page;
}

function isDuplicateClientId(err: unknown): boolean {
  const { code, constraint } = pgErrorOf(err);
  return code === UNIQUE_VIOLATION && constraint === 'messages_sender_client_id_key';
}

/**
 * Stores a message once per (sender, clientId); the send queue tells the room after the commit. The
 * send is one row of one statement (see insertMessages), so `seq` has no gaps and the closed check
 * cannot race a close; the slower paths below only explain why nothing was stored.
 */
export async function sendMessage(
  { db, sends, sendLimit, previews }: MessageDeps,
  userId: number,
  conversationId: number,
  body: SendMessageBody,
): Promise<{ message: Message; created: boolean }> {
  const clientId = body.clientId ?? null;
  const replyToId = body.replyToId ?? null;
  const limitKey = String(userId);
  // Only a retry in the same conversation, by a member, finds its original (API.md: else 404).
  const original = async () => (clientId ? findBySenderClientId(db, userId, conversationId, clientId) : undefined);
  try {
    await sendLimit.consume(limitKey);
  } catch (err) {
    // A retry of a message already stored is answered, never refused.
    const stored = await original();
    if (stored) return { message: stored, created: false };
    throw err;
  }
  let message: Message | undefined;
  try {
    const mentions = await mentionsIn(db, conversationId, body.content);
    message = await sends.store({
      conversationId,
      senderId: userId,
      content: body.content,
      clientId,
      replyToId,
      mentions,
      attachmentIds: body.attachmentIds ?? [],
    });
  } catch (err) {
    const stored = isDuplicateClientId(err) ? await original() : undefined;
    if (!stored) throw err;
    await sendLimit.refund(limitKey);
    return { message: stored, created: false };
  }
  if (!message) {
    // Nothing stored, so nothing counts against the limit: a retry in a closed conversation, or a refusal.
    await sendLimit.refund(limitKey);
    const stored = await original();
    if (stored) return { message: stored, created: false };
    requireOpen(await requireMember(db, conversationId, userId));
    if (replyToId !== null && !(await isReplyTarget(db, conversationId, replyToId))) {
      throw new AppError('validation_failed', undefined, {
        replyToId: 'Reply to a message of this conversation that is not deleted and not a system entry.',
      });
    }
    const attachmentIds = body.attachmentIds ?? [];
    if ((await unsentIdsOf(db, userId, attachmentIds)).length !== attachmentIds.length) {
      throw new AppError('validation_failed', undefined, {
        attachmentIds: `Attach up to ${LIMITS.attachmentsMax} of your own uploads that are not sent yet.`,
      });
    }
    throw new Error(`send to conversation ${conversationId} stored nothing`);
  }
  // After the commit and the event: the send never waits for a preview (API.md, Link previews).
  const url = firstUrl(message.content);
  if (url) previews.schedule(conversationId, message.id, url);
  return { message, created: true };
}

/** Marks others' messages up to `upToMessageId` as seen now; marking twice changes nothing. */
export async function markSeen(
  { db, realtime }: MessageDeps,
  userId: number,
  conversationId: number,
  upToMessageId: number,
): Promise<{ messageIds: number[]; seenAt: string }> {
  const result = await db.transaction(async (tx) => {
    // The conversation's lock first, as every sequenced change takes it: marking takes a number.
    const membership = await requireMember(tx, conversationId, userId, { lock: true });
    // Never past the newest committed message: one committed later must still count as unseen.
    const upTo = Math.min(upToMessageId, await lastMessageId(tx, conversationId));
    if (upTo <= membership.seenUpTo) return { seq: 0, messageIds: [], seenAt: new Date().toISOString() };
    const inserted = await insertSeen(tx, conversationId, userId, membership.seenUpTo, upTo);
    await advanceSeenUpTo(tx, conversationId, userId, upTo);
    const messageIds = inserted.rows.map((r) => r.message_id).sort((a, b) => a - b);
    const seenAt = inserted.rows[0]?.seen_at ?? new Date().toISOString();
    if (messageIds.length === 0) return { seq: 0, messageIds, seenAt };
    const seq = await recordEvent(tx, conversationId, { type: 'message:seen', userId, messageIds, seenAt });
    return { seq, messageIds, seenAt };
  });
  const { seq, messageIds, seenAt } = result;
  if (messageIds.length > 0) realtime.messageSeen({ conversationId, seq, userId, messageIds, seenAt });
  return { messageIds, seenAt };
}
