import { conversationMembers, conversations, type Db, messages } from '@parley/db';
import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { containsPattern, type SearchTerm, toTsquery } from './query.ts';

/**
 * How many ids back the first slice of a search reaches. Words that come together often ("meeting
 * after lunch") fool the planner's estimate, which multiplies their frequencies, into reading every
 * match from the GIN index and rechecking each row (120 ms over 100,000 messages); the newest slice,
 * walked backwards on the primary key, finds a page of them in a millisecond (ADR 037).
 */
const RECENT_SLICE = 5_000;

/**
 * The ids (and conversation titles) of the newest messages that match, as `userId` may see them: a member of the conversation
 * now, the membership being a semi-join of the same statement so that the LIMIT counts only rows the
 * caller may see (a page is never short). Word terms read the vector's GIN index, substrings the
 * trigram index. Two slices in one statement: the newest ids first, then everything older, and the
 * older one runs only when the newest did not fill the page (a LIMIT over UNION ALL stops early).
 */
export async function matchingMessages(
  db: Db,
  userId: number,
  terms: SearchTerm[],
  page: { conversationId?: number; before?: number; limit: number },
): Promise<{ id: number; title: string }[]> {
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
    // search_text and the term are both lower-cased (searchTextOf, parseSearch): LIKE, not ILIKE.
    const like = sql`${messages.searchText} like ${containsPattern(term.text)}`;
    conditions.push(term.negated ? sql`not (${like})` : like);
  }
  if (page.conversationId !== undefined) conditions.push(eq(messages.conversationId, page.conversationId));
  const upper = sql`(select upper from bounds)`;
  const slice = (range: SQL) =>
    db
      .select({ id: messages.id, conversationId: messages.conversationId })
      .from(messages)
      .where(and(...conditions, range))
      .orderBy(desc(messages.id))
      .limit(page.limit);
  const newest = slice(sql`${messages.id} < ${upper} and ${messages.id} >= ${upper} - ${RECENT_SLICE}`);
  const older = slice(sql`${messages.id} < ${upper} - ${RECENT_SLICE}`);
  // The conversation's title comes along, so the page needs one more query only, for the messages.
  const result = await db.execute<{ id: number; title: string }>(sql`
    with bounds as (select coalesce(${page.before ?? null}::int, (select max(id) + 1 from ${messages})) as upper)
    select found.id, c.title from (
      (${newest}) union all (${older}) limit ${page.limit}
    ) found join ${conversations} c on c.id = found.conversation_id
    order by found.id desc`);
  return result.rows;
}
