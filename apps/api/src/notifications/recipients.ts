import { notifies } from '@parley/contracts';
import { type Db, conversationMembers as members } from '@parley/db';
import { eq } from 'drizzle-orm';

/**
 * Who is pushed for a message (API.md, mute): the members other than the sender, in a muted
 * conversation only those it mentions, nobody for a system entry. For an edit, pass only the mentions
 * the edit added and `onlyMentioned`: an edit notifies nobody else.
 */
export async function notificationRecipients(
  db: Db,
  message: { conversationId: number; senderId: number; kind: string; mentions: readonly number[] },
  options: { onlyMentioned?: boolean } = {},
): Promise<number[]> {
  if (message.kind !== 'user') return [];
  const rows = await db
    .select({ id: members.userId, muted: members.muted })
    .from(members)
    .where(eq(members.conversationId, message.conversationId));
  return rows
    .filter((m) => (options.onlyMentioned ? message.mentions.includes(m.id) : true))
    .filter((m) => notifies(m, message))
    .map((m) => m.id);
}
