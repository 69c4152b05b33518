import type { Conversation, ConversationEvent, EventsResponse, ListEventsQuery, Message } from '@parley/contracts';
import type { Db } from '@parley/db';
import { requireMember } from '../conversations/access.ts';
import { conversationForUser } from '../conversations/views.ts';
import { AppError } from '../http/app-error.ts';
import { messagesByIds } from '../messages/queries.ts';
import type { SequencedReads } from '../read-cache/sequenced-read.ts';
import { type EventRow, eventRowsAfter } from './queries.ts';

export interface EventDeps {
  db: Db;
  /** Pages of the log, served again while the conversation's seq stands (ADR 046). */
  reads: SequencedReads;
}

/** `after` may be at most the conversation's last seq (API.md). */
export function checkAfter(after: number, lastSeq: number): void {
  if (after > lastSeq) {
    throw new AppError('validation_failed', undefined, { after: `The conversation's last seq is ${lastSeq}.` });
  }
}

/**
 * The sequenced changes after `after`, each as the event emitted for it but describing things as they
 * are now (ADR 028): the rows name what changed, and the payloads are rebuilt from the current state
 * in one repeatable-read snapshot, so a page and its `lastSeq` describe one moment.
 */
export function listEvents(
  { db }: EventDeps,
  userId: number,
  conversationId: number,
  { after, limit }: ListEventsQuery,
): Promise<EventsResponse> {
  return db.transaction(
    async (tx) => {
      const { lastSeq } = await requireMember(tx, conversationId, userId);
      checkAfter(after, lastSeq);
      const rows = await eventRowsAfter(tx, conversationId, after, limit + 1);
      const page = rows.slice(0, limit);
      const messageIds = [...new Set(page.flatMap((r) => (r.messageId === null ? [] : [r.messageId])))];
      const [messages, conversation] = await Promise.all([
        messagesByIds(tx, messageIds),
        page.some((r) => r.type === 'conversation:updated') ? conversationForUser(tx, conversationId, userId) : null,
      ]);
      const messageById = new Map(messages.map((m) => [m.id, m]));
      const events = page.map((row) => toEvent(conversationId, row, messageById, conversation));
      return { events, lastSeq, hasMore: rows.length > limit };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

function toEvent(
  conversationId: number,
  row: EventRow,
  messageById: Map<number, Message>,
  conversation: Conversation | null,
): ConversationEvent {
  const { seq } = row;
  const message = () => {
    const found = row.messageId === null ? undefined : messageById.get(row.messageId);
    // Messages go only with their conversation, which takes its log with it.
    if (!found) throw new Error(`event ${conversationId}/${seq} names a message that is gone`);
    return found;
  };
  switch (row.type) {
    case 'message:new':
      return { type: row.type, payload: message() };
    case 'message:updated':
      return { type: row.type, payload: { conversationId, seq, message: message() } };
    case 'message:seen':
      return {
        type: row.type,
        payload: { conversationId, seq, userId: row.userId!, messageIds: row.messageIds!, seenAt: row.seenAt! },
      };
    case 'conversation:updated':
      return { type: row.type, payload: { conversationId, seq, conversation: conversation! } };
  }
}
