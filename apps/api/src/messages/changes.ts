import { attachments, type Db, messageReactions, messages } from '@parley/db';
import { and, countDistinct, eq, sql } from 'drizzle-orm';
import { deleteAttachmentsOf } from '../attachments/queries.ts';
import { searchTextOf } from '../search/search-text.ts';

/** The message a change is about, read under the conversation's lock (see actions.ts). */
export async function findMessageToChange(db: Db, conversationId: number, messageId: number) {
  const [row] = await db
    .select({
      id: messages.id,
      kind: messages.kind,
      senderId: messages.senderId,
      content: messages.content,
      mentions: messages.mentions,
      deletedAt: messages.deletedAt,
      previewId: messages.previewId,
      // Spelled out: drizzle writes a lone table's columns unqualified in a select list.
      attachmentCount: sql<number>`(select count(*)::int from ${attachments} a where a.message_id = "messages"."id")`,
    })
    .from(messages)
    .where(and(eq(messages.id, messageId), eq(messages.conversationId, conversationId)));
  return row;
}
export type MessageToChange = NonNullable<Awaited<ReturnType<typeof findMessageToChange>>>;

/** An edit replaces the content in storage: Parley keeps no edit history (API.md); search sees only the new text. */
export function replaceContent(db: Db, messageId: number, content: string, mentions: number[]) {
  return db
    .update(messages)
    .set({ content, mentions, searchText: searchTextOf(content), editedAt: sql`now()` })
    .where(eq(messages.id, messageId));
}

/**
 * A delete erases the content, the reactions, the preview and the attachments' rows from storage;
 * the row stays as the tombstone. Answers the storage keys of the attachments' bytes, which the
 * caller erases once this commits.
 */
export async function eraseMessage(db: Db, messageId: number): Promise<string[]> {
  await db
    .update(messages)
    .set({ content: '', mentions: [], searchText: '', previewId: null, deletedAt: sql`now()` })
    .where(eq(messages.id, messageId));
  await db.delete(messageReactions).where(eq(messageReactions.messageId, messageId));
  return deleteAttachmentsOf(db, messageId);
}

/** An edit to another first URL drops the old preview in the same change; the new one is fetched after. */
export function clearPreview(db: Db, messageId: number) {
  return db.update(messages).set({ previewId: null }).where(eq(messages.id, messageId));
}

/** How many distinct emoji the message carries, and whether `emoji` is one of them. */
export async function reactionCounts(db: Db, messageId: number, emoji: string) {
  const [row] = await db
    .select({
      distinct: countDistinct(messageReactions.emoji),
      hasEmoji: sql<boolean>`coalesce(bool_or(${messageReactions.emoji} = ${emoji}), false)`,
    })
    .from(messageReactions)
    .where(eq(messageReactions.messageId, messageId));
  return row ?? { distinct: 0, hasEmoji: false };
}

/** Adds the reaction; false when it was already there. */
export async function addReaction(db: Db, messageId: number, emoji: string, userId: number): Promise<boolean> {
  const inserted = await db
    .insert(messageReactions)
    .values({ messageId, emoji, userId })
    .onConflictDoNothing()
    .returning({ messageId: messageReactions.messageId });
  return inserted.length > 0;
}

/** Removes the reaction; false when it was not there. */
export async function removeReaction(db: Db, messageId: number, emoji: string, userId: number): Promise<boolean> {
  const removed = await db
    .delete(messageReactions)
    .where(
      and(
        eq(messageReactions.messageId, messageId),
        eq(messageReactions.emoji, emoji),
        eq(messageReactions.userId, userId),
      ),
    )
    .returning({ messageId: messageReactions.messageId });
  return removed.length > 0;
}
