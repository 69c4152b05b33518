import { attachments, conversationMembers, type Db, messages } from '@parley/db';
import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { AttachmentRow } from './attachment.ts';

export interface NewAttachment {
  uploaderId: number;
  name: string;
  contentType: string;
  size: number;
  width: number | null;
  height: number | null;
  storageKey: string;
  thumbnailKey: string | null;
}

export async function insertAttachment(db: Db, values: NewAttachment): Promise<AttachmentRow> {
  const [row] = await db
    .insert(attachments)
    .values(values)
    .returning({
      id: attachments.id,
      name: attachments.name,
      contentType: attachments.contentType,
      size: attachments.size,
      width: attachments.width,
      height: attachments.height,
      hasThumbnail: sql<boolean>`${attachments.thumbnailKey} is not null`,
    });
  return row!;
}

/**
 * The attachment as `userId` may read it: its uploader before it is sent, a member of the
 * conversation of the message that carries it after. Undefined for everyone else (a 404).
 */
export async function findReadableAttachment(db: Db, id: number, userId: number) {
  const [row] = await db
    .select({
      name: attachments.name,
      contentType: attachments.contentType,
      size: attachments.size,
      storageKey: attachments.storageKey,
      thumbnailKey: attachments.thumbnailKey,
    })
    .from(attachments)
    .leftJoin(messages, eq(messages.id, attachments.messageId))
    .where(
      and(
        eq(attachments.id, id),
        sql`(
          (${attachments.messageId} is null and ${attachments.uploaderId} = ${userId})
          or exists (select 1 from ${conversationMembers} m
                     where m.conversation_id = ${messages.conversationId} and m.user_id = ${userId})
        )`,
      ),
    );
  return row;
}

/** Removes a message's attachments from the database; the caller erases their bytes after the commit. */
export async function deleteAttachmentsOf(db: Db, messageId: number): Promise<string[]> {
  const removed = await db
    .delete(attachments)
    .where(eq(attachments.messageId, messageId))
    .returning({ storageKey: attachments.storageKey, thumbnailKey: attachments.thumbnailKey });
  return keysOf(removed);
}

/** Uploads never sent and created before `before`; their rows go, their keys come back. */
export async function deleteUnsentBefore(db: Db, before: Date): Promise<string[]> {
  const removed = await db
    .delete(attachments)
    .where(and(isNull(attachments.messageId), lt(attachments.createdAt, before)))
    .returning({ storageKey: attachments.storageKey, thumbnailKey: attachments.thumbnailKey });
  return keysOf(removed);
}

export async function unsentIdsOf(db: Db, uploaderId: number, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: attachments.id })
    .from(attachments)
    .where(and(inArray(attachments.id, ids), eq(attachments.uploaderId, uploaderId), isNull(attachments.messageId)));
  return rows.map((r) => r.id);
}

const keysOf = (rows: { storageKey: string; thumbnailKey: string | null }[]) =>
  rows.flatMap((r) => (r.thumbnailKey ? [r.storageKey, r.thumbnailKey] : [r.storageKey]));
