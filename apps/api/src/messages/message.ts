import type { Message } from '@parley/contracts';

/**
 * A message as the queries read it: one flat row, timestamps already ISO strings, receipts as JSON.
 * A new field of Message (reactions, replyTo, attachments…) is a column here, one in `messageColumns`
 * (queries.ts) and one line in `toMessage`; every path (history, send, by id, lastMessage) gets it.
 */
export type MessageRow = {
  id: number;
  conversationId: number;
  seq: number;
  senderId: number;
  senderNickname: string;
  content: string;
  clientId: string | null;
  createdAt: string;
  seenBy: Message['seenBy'];
};

/** The one place a contract Message is built. */
export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    sender: { id: row.senderId, nickname: row.senderNickname },
    content: row.content,
    clientId: row.clientId,
    createdAt: row.createdAt,
    seenBy: row.seenBy,
  };
}
