import type { ConversationEventType } from '@parley/contracts';
import { conversationEvents, conversations, type Db } from '@parley/db';
import { and, asc, eq, gt, sql } from 'drizzle-orm';

/** What an event row references (ADR 028); a receipt alone keeps its own data. */
export type EventRef =
  | { type: 'message:new' | 'message:updated'; messageId: number }
  | { type: 'message:seen'; userId: number; messageIds: number[]; seenAt: string }
  | { type: 'conversation:updated' };

/**
 * Takes the conversation's next seq for a change made in this transaction and logs the change with
 * it. The counter's row lock is held until commit, so numbers are gapless and in commit order; a
 * rollback gives the number back with the row.
 */
export async function recordEvent(db: Db, conversationId: number, ref: EventRef): Promise<number> {
  const messageId = 'messageId' in ref ? ref.messageId : null;
  const seen = ref.type === 'message:seen' ? ref : undefined;
  const result = await db.execute<{ seq: number }>(sql`
    with bumped as (
      update ${conversations} set last_seq = last_seq + 1 where id = ${conversationId} returning id, last_seq
    )
    insert into ${conversationEvents} (conversation_id, seq, type, message_id, user_id, message_ids, seen_at)
    select id, last_seq, ${ref.type}, ${messageId}, ${seen?.userId ?? null},
      ${seen ? sql`${`{${seen.messageIds.join(',')}}`}::int[]` : null}, ${seen?.seenAt ?? null}
    from bumped
    returning seq`);
  const row = result.rows[0];
  if (!row) throw new Error(`conversation ${conversationId} is gone`);
  return row.seq;
}

export interface EventRow {
  seq: number;
  type: ConversationEventType;
  messageId: number | null;
  userId: number | null;
  messageIds: number[] | null;
  seenAt: string | null;
}

/** Up to `limit` rows of the log after `after`, ascending: a range of the primary key. */
export function eventRowsAfter(db: Db, conversationId: number, after: number, limit: number): Promise<EventRow[]> {
  return db
    .select({
      seq: conversationEvents.seq,
      type: sql<ConversationEventType>`${conversationEvents.type}`,
      messageId: conversationEvents.messageId,
      userId: conversationEvents.userId,
      messageIds: conversationEvents.messageIds,
      seenAt: sql<
        string | null
      >`to_char(${conversationEvents.seenAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    })
    .from(conversationEvents)
    .where(and(eq(conversationEvents.conversationId, conversationId), gt(conversationEvents.seq, after)))
    .orderBy(asc(conversationEvents.seq))
    .limit(limit);
}
