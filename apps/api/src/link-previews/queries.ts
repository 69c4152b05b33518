import { conversationMembers, conversations, type Db, linkPreviews, messages } from '@parley/db';
import { and, desc, eq, gt, lt, notExists, sql } from 'drizzle-orm';

/** A preview of `url` fetched after `since`, shared across conversations (API.md: an hour). */
export async function cachedPreviewId(db: Db, url: string, since: Date): Promise<number | undefined> {
  const [row] = await db
    .select({ id: linkPreviews.id })
    .from(linkPreviews)
    .where(and(eq(linkPreviews.url, url), gt(linkPreviews.fetchedAt, since)))
    .orderBy(desc(linkPreviews.fetchedAt))
    .limit(1);
  return row?.id;
}

export async function insertPreview(
  db: Db,
  values: {
    url: string;
    title: string;
    description: string | null;
    siteName: string | null;
    imageKey: string | null;
    fetchedAt: Date;
  },
): Promise<number> {
  const [row] = await db.insert(linkPreviews).values(values).returning({ id: linkPreviews.id });
  return row!.id;
}

/** The conversation's row lock, the one every sequenced change takes first (ADR 028). */
export async function lockConversation(db: Db, conversationId: number) {
  const [row] = await db
    .select({ closedAt: conversations.closedAt })
    .from(conversations)
    .where(eq(conversations.id, conversationId))
    .for('update');
  return row;
}

export function setPreview(db: Db, messageId: number, previewId: number) {
  return db.update(messages).set({ previewId }).where(eq(messages.id, messageId));
}

/** The stored image of preview `id`, for a member of a conversation in which a message shows it. */
export async function readablePreviewImageKey(db: Db, id: number, userId: number): Promise<string | undefined> {
  const [row] = await db
    .select({ imageKey: linkPreviews.imageKey })
    .from(linkPreviews)
    .where(
      and(
        eq(linkPreviews.id, id),
        // The outer row spelled out: inside a subquery an unqualified "id" would be the message's.
        sql`exists (select 1 from ${messages} m join ${conversationMembers} cm on cm.conversation_id = m.conversation_id
                    where m.preview_id = "link_previews"."id" and cm.user_id = ${userId})`,
      ),
    );
  return row?.imageKey ?? undefined;
}

/** Previews out of the cache's hour that no message shows any more; their image keys come back. */
export async function deleteUnusedPreviewsBefore(db: Db, before: Date): Promise<string[]> {
  const removed = await db
    .delete(linkPreviews)
    .where(
      and(
        lt(linkPreviews.fetchedAt, before),
        notExists(db.select({ one: sql`1` }).from(messages).where(eq(messages.previewId, linkPreviews.id))),
      ),
    )
    .returning({ imageKey: linkPreviews.imageKey });
  return removed.flatMap((r) => (r.imageKey ? [r.imageKey] : []));
}
