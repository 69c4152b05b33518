import { conversationMembers, type Db, messages } from '@parley/db';
import { and, desc, eq, type Query, type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { containsPattern, type SearchTerm, toTsquery } from './query.ts';

/**
 * How many ids back the first slice of a search reaches. Words that come together often ("meeting
 * after lunch") fool the planner's estimate, which multiplies their frequencies, into reading every
 * match from the GIN index and rechecking each row (120 ms over 100,000 messages); the newest slice,
 * walked backwards on the primary key, finds a page of them in a millisecond (ADR 037).
 */
const RECENT_SLICE = 5_000;

/** What a statement's text depends on: which kinds of condition it has, never their values. */
interface Shape {
  words: boolean;
  /** One entry per substring term: whether it is excluded. */
  substrings: boolean[];
  inConversation: boolean;
}

const param = (name: string) => sql.placeholder(name);

/**
 * The statement for one shape, with its values as placeholders. The caller's conversations are an
 * array the scan filters on (`= any`), so the walk newest-first stops as soon as a page of rows the
 * caller may see matched: the LIMIT counts only those, and a page is never short. Word terms read the
 * vector's GIN index, substrings the trigram index. Two slices in one statement: the newest ids
 * first, then everything older, and the older one runs only when the newest did not fill the page (a
 * LIMIT over UNION ALL stops early).
 */
function statementOf(db: Db, shape: Shape): SQL {
  const conditions: SQL[] = [
    eq(messages.kind, 'user'),
    sql`${messages.deletedAt} is null`,
    sql`${messages.conversationId} = any(array(
      select ${conversationMembers.conversationId} from ${conversationMembers}
      where ${conversationMembers.userId} = ${param('userId')}))`,
  ];
  if (shape.words) conditions.push(sql`${messages.searchVector} @@ to_tsquery('simple', ${param('tsquery')})`);
  shape.substrings.forEach((negated, i) => {
    // search_text and the term are both lower-cased (searchTextOf, parseSearch): LIKE, not ILIKE.
    const like = sql`${messages.searchText} like ${param(`like${i}`)}`;
    conditions.push(negated ? sql`not (${like})` : like);
  });
  if (shape.inConversation) conditions.push(sql`${messages.conversationId} = ${param('conversationId')}`);
  const upper = sql`(select upper from bounds)`;
  const slice = (range: SQL) =>
    db
      .select({ id: messages.id, conversationId: messages.conversationId })
      .from(messages)
      .where(and(...conditions, range))
      .orderBy(desc(messages.id))
      .limit(param('limit'));
  const newest = slice(sql`${messages.id} < ${upper} and ${messages.id} >= ${upper} - ${RECENT_SLICE}`);
  const older = slice(sql`${messages.id} < ${upper} - ${RECENT_SLICE}`);
  return sql`
    with bounds as (select coalesce(${param('before')}::int, (select max(id) + 1 from ${messages})) as upper)
    select found.id, found.conversation_id as "conversationId" from (
      (${newest}) union all (${older}) limit ${param('limit')}
    ) found
    order by found.id desc`;
}

const dialect = new PgDialect();
/** Rendered statements by shape: a search's SQL is built once, not on every request (drizzle's build cost as much as PostgreSQL's run). */
const rendered = new Map<string, Query>();
/** A query may hold up to 100 substring terms: past this many shapes, new ones are rendered each time. */
const MAX_SHAPES = 64;

function renderedFor(db: Db, shape: Shape): Query {
  const key = `${shape.words ? 'w' : ''}:${shape.substrings.map((n) => (n ? '-' : '+')).join('')}:${shape.inConversation ? 'c' : ''}`;
  let query = rendered.get(key);
  if (!query) {
    query = dialect.sqlToQuery(statementOf(db, shape));
    if (rendered.size < MAX_SHAPES) rendered.set(key, query);
  }
  return query;
}

/**
 * The ids (and conversations) of the newest messages that match, as `userId` may see them: a member of
 * the conversation now. Unnamed, so PostgreSQL plans it for these values: whether the GIN index or the
 * walk is cheaper depends on how common the words are.
 */
export async function matchingMessages(
  db: Db,
  userId: number,
  terms: SearchTerm[],
  page: { conversationId?: number; before?: number; limit: number },
): Promise<{ id: number; conversationId: number }[]> {
  const substrings = terms.flatMap((t) => (t.kind === 'substring' ? [t] : []));
  const tsquery = toTsquery(terms);
  const shape = {
    words: tsquery !== undefined,
    substrings: substrings.map((t) => t.negated),
    inConversation: page.conversationId !== undefined,
  };
  const values: Record<string, unknown> = {
    userId,
    tsquery,
    conversationId: page.conversationId,
    before: page.before ?? null,
    limit: page.limit,
  };
  substrings.forEach((t, i) => {
    values[`like${i}`] = containsPattern(t.text);
  });
  const result = await db._.session.prepareQuery(renderedFor(db, shape), undefined, undefined, false).execute(values);
  return (result as { rows: { id: number; conversationId: number }[] }).rows;
}
