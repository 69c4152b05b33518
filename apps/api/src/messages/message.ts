import type { LinkPreview, Message, SystemAction } from '@parley/contracts';
import { type AttachmentRow, toAttachment } from '../attachments/attachment.ts';

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
  /** In upload order; [] for a tombstone, whose attachments are erased. */
  attachments: AttachmentRow[];
  preview: PreviewRow | null;
};

/** The stored preview; its image, when there is one, is served from our origin by preview id. */
export type PreviewRow = Omit<LinkPreview, 'imageUrl'> & { id: number; hasImage: boolean };

export const previewImageUrl = (previewId: number) => `/api/link-previews/${previewId}/image`;

function toPreview(row: PreviewRow): LinkPreview {
  return {
    url: row.url,
    title: row.title,
    description: row.description,
    siteName: row.siteName,
    imageUrl: row.hasImage ? previewImageUrl(row.id) : null,
  };
}

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
    attachments: row.attachments.map(toAttachment),
    preview: row.preview && toPreview(row.preview),
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
