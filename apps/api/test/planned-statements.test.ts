import { createDatabase, type Database } from '@parley/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMessages } from '../src/messages/queries.ts';
import { pushCandidatesStatement } from '../src/push/queries.ts';
import { createVersionReader } from '../src/read-cache/queries.ts';
import { aliceAndBob } from './support/fixtures.ts';
import { apiForThisFile, signUp } from './support/test-app.ts';

const file = apiForThisFile();

interface PlanNode {
  'Node Type': string;
  'Total Cost': number;
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Every table a plan reads, with the most rows one node read from it (kept and filtered out, all loops). */
function rowsReadPerTable(node: PlanNode, into = new Map<string, number>()): Map<string, number> {
  if (node['Relation Name']) {
    const read =
      (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)) *
      node['Actual Loops'];
    into.set(node['Relation Name'], Math.max(into.get(node['Relation Name']) ?? 0, read));
  }
  for (const child of node.Plans ?? []) rowsReadPerTable(child, into);
  return into;
}

/** The tables a plan read more than a handful of rows of: none, for a statement that works by keys. */
const beyondKeys = (reads: Map<string, number>) => [...reads].filter(([, rows]) => rows > 3);

/** Below PostgreSQL's cost for a switched-off method (1e10): the plan needed none of them. */
const WITHOUT_SWITCHED_OFF_METHODS = 1e9;

/**
 * The hot statements keep the plan their connection made the first time (ADR 052). That plan must not
 * depend on how large the tables were at that moment: a deployment makes its plans on nearly empty
 * tables, and keeps them while the tables grow (ADR 056).
 */
describe('the statements planned once per connection', () => {
  // One planned connection, so the plans made below are the ones explained afterwards.
  let database: Database;
  const explain = async (statement: string) => {
    const client = await database.planned.pool.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        `explain (analyze, format json) execute ${statement}`,
      );
      const plan = rows[0]!['QUERY PLAN'][0].Plan;
      return { reads: rowsReadPerTable(plan), rows: plan['Actual Rows'], cost: plan['Total Cost'] };
    } finally {
      // The explained send is not kept.
      await client.query('rollback');
      client.release();
    }
  };

  let ids: { conversation: number; alice: number; bob: number; first: number; upload: number };
  beforeAll(async () => {
    database = createDatabase(file.db.url, { max: 2, plannedMax: 1 });
    const { alice, bob, id } = await aliceAndBob(file.server);
    const carol = await signUp(file.server, 'Carol');

    // Each statement runs once while the tables are nearly empty, as on a new deployment…
    const send = { content: 'first', replyToId: null, mentions: [], attachmentIds: [] };
    const [first] = await insertMessages(database.planned.pool, [
      { ...send, conversationId: id, senderId: alice.user.id, clientId: 'first' },
    ]);
    const upload = await database.pool.query<{ id: number }>(
      `insert into attachments (uploader_id, name, content_type, size, storage_key)
       values ($1, 'notes.txt', 'text/plain', 1, 'alice-notes') returning id`,
      [alice.user.id],
    );
    ids = { conversation: id, alice: alice.user.id, bob: bob.user.id, first: first!.id, upload: upload.rows[0]!.id };
    expect(await createVersionReader(database.planned.db)(id, ids.bob)).toMatchObject({ seq: first!.seq });
    expect(await pushCandidatesStatement(database.planned.db)([id])).toEqual([]);

    // …and then the tables grow (uploads not sent yet among them), with no ANALYZE in between to make
    // PostgreSQL plan again.
    await database.pool.query(
      `insert into messages (conversation_id, seq, sender_id, content, search_text, client_id)
       select $1, $3::int + n, $2, 'm' || n, 'm' || n, 'c' || n from generate_series(1, 4000) n`,
      [id, ids.alice, first!.seq],
    );
    await database.pool.query('update conversations set last_seq = last_seq + 4000 where id = $1', [id]);
    await database.pool.query(
      `with made as (insert into conversations (kind, owner_id, custom_title)
         select 'group', $1, 'other ' || n from generate_series(1, 1000) n returning id)
       insert into conversation_members (conversation_id, user_id, position) select id, $1, 0 from made`,
      [carol.user.id],
    );
    await database.pool.query(
      `insert into session (sid, sess, expire) select 'bench' || n, '{}', now() + interval '1 day'
         from generate_series(1, 1000) n`,
    );
    await database.pool.query(
      `insert into push_subscriptions (session_id, user_id, endpoint, p256dh, auth)
         select 'bench' || n, $1, 'https://push.test/' || n, 'key', 'auth' from generate_series(1, 1000) n`,
      [carol.user.id],
    );
    // Bob, a member, has one subscription, so the look-up of its session runs too.
    await database.pool.query(
      `insert into session (sid, sess, expire) values ('bob', '{}', now() + interval '1 day');
       insert into push_subscriptions (session_id, user_id, endpoint, p256dh, auth)
         values ('bob', ${bob.user.id}, 'https://push.test/bob', 'key', 'auth')`,
    );
    await database.pool.query(
      `insert into attachments (uploader_id, name, content_type, size, storage_key)
         select $1, 'upload ' || n || '.txt', 'text/plain', 1, 'key' || n from generate_series(1, 1000) n`,
      [carol.user.id],
    );
  });
  afterAll(async () => {
    await database.end();
  });

  it('read only the rows of the batch, however many messages were stored after the plan was made', async () => {
    const { conversation, alice, first, upload } = ids;
    // A send with a clientId (the web app's always have one, for retries), replying to a stored message
    // and attaching an upload: every check of the statement runs.
    const { reads, rows, cost } = await explain(
      `insert_messages('{${conversation}}', '{${alice}}', '{hello}', '{hello}', '{again}', '{${first}}', '{"{}"}',
        '{"{${upload}}"}', '{${upload}}')`,
    );
    expect(rows).toBe(1); // stored, so nothing was skipped
    expect(reads.get('attachments')).toBeDefined();
    expect(beyondKeys(reads)).toEqual([]);
    expect(cost).toBeLessThan(WITHOUT_SWITCHED_OFF_METHODS);
  });

  it('check a read’s membership by its keys, not by reading every conversation', async () => {
    const { reads, rows, cost } = await explain(`read_versions('{${ids.conversation}}', '{${ids.bob}}')`);
    expect(rows).toBe(1);
    expect(beyondKeys(reads)).toEqual([]);
    expect(cost).toBeLessThan(WITHOUT_SWITCHED_OFF_METHODS);
  });

  it('find the push subscriptions of the members, not every live session’s', async () => {
    // The thousand subscriptions and sessions are Carol's, who is not in this conversation; Bob's one is found.
    const { reads, rows, cost } = await explain(`push_candidates('{${ids.conversation}}')`);
    expect(rows).toBe(1);
    expect(beyondKeys(reads)).toEqual([]);
    expect(cost).toBeLessThan(WITHOUT_SWITCHED_OFF_METHODS);
  });
});
