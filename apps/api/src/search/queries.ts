import { conversationMembers, conversations, type Db, messages } from '@parley/db';
import { and, desc, eq, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { containsPattern, type SearchTerm, toTsquery } from './query.ts';

/**
 * The ids of the newest messages that match, as `userId` may see them: a member of the conversation
 * now, the membership being a semi-join of the same statement so that the LIMIT counts only rows the
 * caller may see (a page is never short). Word terms read the vector's GIN index, substrings the
 * trigram index; PostgreSQL combines the two bitmaps when a search has both (ADR 037).
 */
export async function matchingMessageIds(
  db: Db,
  userId: number,
  terms: SearchTerm[],
  page: { conversationId?: number; before?: number; limit: number },
): Promise<number[]> {
  const conditions: (SQL | undefined)[] = [
    eq(messages.kind, 'user'),
    sql`${messages.deletedAt} is null`,
    inArray(
      messages.conversationId,
      db
        .select({ id: conversationMembers.conversationId })
        .from(conversationMembers)
        .where(eq(conversationMembers.userId, userId)),
    ),
  ];
  const tsquery = toTsquery(terms);
  if (tsquery) conditions.push(sql`${messages.searchVector} @@ to_tsquery('simple', ${tsquery})`);
  for (const term of terms) {
    if (term.kind !== 'substring') continue;
    const like = sql`${messages.searchText} ilike ${containsPattern(term.text)}`;
    conditions.push(term.negated ? sql`not (${like})` : like);
  }
  if (page.conversationId !== undefined) conditions.push(eq(messages.conversationId, page.conversationId));
  if (page.before !== undefined) conditions.push(lt(messages.id, page.before));
  const rows = await db
    .select({ id: messages.id })
    .from(messages)
    .where(and(...conditions))
    .orderBy(desc(messages.id))
    .limit(page.limit);
  return rows.map((r) => r.id);
}

export async function conversationTitles(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: conversations.id, title: conversations.title })
    .from(conversations)
    .where(inArray(conversations.id, ids));
  return new Map(rows.map((r) => [r.id, r.title]));
}
