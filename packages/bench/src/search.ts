import { closedLoop } from './load.ts';
import type { BenchDatabase } from './processes.ts';
import { type Summary, summarize } from './stats.ts';
import type { Target } from './targets.ts';

/** What the search row asks, in turns: word prefixes, a phrase and a Chinese substring. */
export const SEARCH_QUERIES = [
  { kind: 'prefix', q: 'dead' },
  { kind: 'prefix', q: 'meet lun' },
  { kind: 'phrase', q: '"project deadline"' },
  { kind: 'cjk', q: '上海' },
] as const;

/** Topics people talk about; every message takes one, so each is in about 1 message in 12. */
const TOPICS = [
  'the project deadline moved to friday',
  'meeting after lunch in room four',
  'who reviews the budget report',
  'deploy went fine, dashboards are green',
  'holiday photos from the lake',
  'can someone check the invoice',
  'the train is late again',
  'coffee machine is broken',
  '我明天去上海出差，周五回来',
  '北京今天很冷',
  '東京タワーへ行きます',
  'deadline for the travel forms is monday',
];
/** Syllables of the long tail of made-up words, so that most words are rare, as in real chat. */
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'wen', 'zo', 'bel', 'dar', 'fin', 'gor', 'hul'];

/**
 * Creates `conversations` conversations of `membersPer` of the world's users (conversation c has users
 * c, c+1, … modulo the users) and fills them with `messages` messages in one INSERT … SELECT: each a
 * topic and six words of the long tail, plain text, spread evenly over the conversations.
 */
export async function seedSearch(
  db: BenchDatabase,
  userIds: number[],
  options: { conversations: number; membersPer: number; messages: number },
): Promise<number[]> {
  const { conversations, messages } = options;
  const membersPer = Math.min(options.membersPer, userIds.length);
  const created = await db.query<{ id: number }>(
    `with u as (select uid, ord - 1 as k from unnest($1::int[]) with ordinality as t(uid, ord)),
     conv as (
       insert into conversations (title, owner_id)
       select 'search ' || c, (select uid from u where k = c % $3) from generate_series(0, $2 - 1) c
       returning id, substring(title from 8)::int as c),
     joined as (
       insert into conversation_members (conversation_id, user_id, is_owner, position)
       select conv.id, u.uid, j = 0, j from conv cross join generate_series(0, $4 - 1) j join u on u.k = (conv.c + j) % $3
       returning conversation_id)
     select id from conv order by c`,
    [userIds, conversations, userIds.length, membersPer],
  );
  const conversationIds = created.rows.map((r) => r.id);
  await db.query(
    `with u as (select uid, ord - 1 as k from unnest($1::int[]) with ordinality as t(uid, ord)),
     cv as (select id, ord - 1 as c from unnest($2::int[]) with ordinality as t(id, ord)),
     body as (
       select g, g % $4 as c,
         ($5::text[])[1 + abs(hashint4(g)) % cardinality($5::text[])] || ' ' ||
         (select string_agg(($6::text[])[1 + abs(hashint4(g * 16 + i)) % cardinality($6::text[])] ||
                            ($6::text[])[1 + abs(hashint4(g * 16 + i + 8)) % cardinality($6::text[])], ' ')
          from generate_series(1, 6) i) as content
       from generate_series(0, $3 - 1) g)
     insert into messages (conversation_id, seq, sender_id, content, search_text, created_at)
     select cv.id, body.g / $4 + 1, u.uid, body.content, lower(body.content), now() - (($3 - body.g) || ' seconds')::interval
     from body join cv on cv.c = body.c join u on u.k = (body.c + body.g % $7) % cardinality($1::int[])`,
    [userIds, conversationIds, messages, conversations, TOPICS, SYLLABLES, membersPer],
  );
  await db.query(
    `update conversations c set last_seq = m.last from (
       select conversation_id, max(seq) as last from messages group by conversation_id) m
     where m.conversation_id = c.id and c.id = any($1::int[])`,
    [conversationIds],
  );
  await db.query('analyze messages; analyze conversation_members; analyze conversations');
  return conversationIds;
}

export interface SearchResult {
  requests: number;
  errors: number;
  perSecond: number;
  latency: Summary;
  byKind: Record<string, Summary>;
  /** Mean results on a page, per kind: a page that is always empty would measure nothing. */
  meanResults: Record<string, number>;
}

/** `concurrency` closed-loop clients, each signed in as another user, searching the queries in turns. */
export async function searchReads(options: {
  target: Target;
  cookies: string[];
  concurrency: number;
  durationMs: number;
}): Promise<SearchResult> {
  const { target } = options;
  const latencies: Record<string, number[]> = {};
  const counts: Record<string, number[]> = {};
  const add = (into: Record<string, number[]>, kind: string, value: number) => {
    const list = into[kind] ?? [];
    list.push(value);
    into[kind] = list;
  };
  let turn = 0;
  const run = await closedLoop({
    concurrency: options.concurrency,
    durationMs: options.durationMs,
    op: async (worker) => {
      const query = SEARCH_QUERIES[turn++ % SEARCH_QUERIES.length]!;
      const t0 = performance.now();
      const reply = await target.http.request('GET', `/api/search?q=${encodeURIComponent(query.q)}`, undefined, {
        cookie: options.cookies[worker % options.cookies.length]!,
      });
      add(latencies, query.kind, performance.now() - t0);
      if (reply.status !== 200) return false;
      add(counts, query.kind, (JSON.parse(reply.body) as { results: unknown[] }).results.length);
      return true;
    },
  });
  const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0);
  return {
    requests: run.latencies.length,
    errors: run.errors,
    perSecond: (run.latencies.length / run.elapsedMs) * 1000,
    latency: summarize(run.latencies),
    byKind: Object.fromEntries(Object.entries(latencies).map(([k, v]) => [k, summarize(v)])),
    meanResults: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, mean(v)])),
  };
}

/**
 * EXPLAIN ANALYZE of the statement the API runs for each kind of query (apps/api/src/search/queries.ts
 * builds it; this is its SQL, with the tsquery and pattern the API would send, RECENT_SLICE 5,000), for
 * the report. The rare ones show the GIN and trigram indexes at work.
 */
export async function searchPlans(db: BenchDatabase, userId: number): Promise<Record<string, string>> {
  const slice = (match: string, range: string) => `(select id, conversation_id from messages
      where kind = 'user' and deleted_at is null
        and conversation_id in (select conversation_id from conversation_members where user_id = $1)
        and ${match} and ${range}
      order by id desc limit 21)`;
  const statement = (match: string) => `explain (analyze, costs off)
    with bounds as (select coalesce(null::int, (select max(id) + 1 from messages)) as upper)
    select found.id, c.title from (
      ${slice(match, 'id < (select upper from bounds) and id >= (select upper from bounds) - 5000')}
      union all ${slice(match, 'id < (select upper from bounds) - 5000')}
      limit 21
    ) found join conversations c on c.id = found.conversation_id
    order by found.id desc`;
  const matches: Record<string, [string, unknown]> = {
    "prefix 'dead'": [`search_vector @@ to_tsquery('simple', $2)`, "('dead':*)"],
    "prefix 'meet lun'": [`search_vector @@ to_tsquery('simple', $2)`, "('meet':*) & ('lun':*)"],
    "rare words 'lowen gordar'": [`search_vector @@ to_tsquery('simple', $2)`, "('lowen':*) & ('gordar':*)"],
    'phrase "project deadline"': [`search_vector @@ to_tsquery('simple', $2)`, "('project':* <-> 'deadline':*)"],
    'CJK 上海': [`search_text like $2`, '%上海%'],
    'CJK and Latin, rare 今天很冷 darhul': [`search_text like $2`, '%今天很冷 darhul%'],
  };
  const plans: Record<string, string> = {};
  for (const [name, [match, value]] of Object.entries(matches)) {
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(statement(match), [userId, value]);
    plans[name] = rows.map((r) => r['QUERY PLAN']).join('\n');
  }
  return plans;
}
