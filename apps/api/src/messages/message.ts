import type { Message, SystemAction } from '@parley/contracts';

/**
 * A message as the queries read it: one flat row, timestamps already ISO strings, receipts,
 * reactions and the quote of the message replied to as JSON. A new field of Message is a column
 * here, one in `messageColumns` (queries.ts) and one line in `toMessage`; every path (history, send,
 * by id, lastMessage, events) gets it.
 */
export type MessageRow = {
  id: number;
  conversationId: number;
  seq: number;
  kind: string;
  senderId: number;
  senderNickname: string;
  content: string;
  clientId: string | null;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  replyTo: Message['replyTo'];
  reactions: Message['reactions'];
  seenBy: Message['seenBy'];
  mentions: number[];
  systemAction: string | null;
  systemUserIds: number[] | null;
  systemTitle: string | null;
};

/** The one place a contract Message is built. */
export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    kind: row.kind === 'system' ? 'system' : 'user',
    sender: { id: row.senderId, nickname: row.senderNickname },
    content: row.content,
    clientId: row.clientId,
    createdAt: row.createdAt,
    editedAt: row.editedAt,
    deletedAt: row.deletedAt,
    replyTo: row.replyTo,
    reactions: row.reactions,
    // A tombstone keeps no mentions (API.md): its content is gone, so is what it said.
    mentions: row.deletedAt ? [] : row.mentions,
    // Attachments and previews come with later issues.
    attachments: [],
    preview: null,
    system:
      row.kind === 'system' && row.systemAction
        ? {
            action: row.systemAction as SystemAction,
            userIds: row.systemUserIds ?? [],
            title: row.systemTitle,
          }
        : null,
    seenBy: row.seenBy,
  };
}
