import { closedLoop } from './load.ts';
import type { BenchDatabase } from './processes.ts';
import { type Summary, summarize } from './stats.ts';
import type { Target } from './targets.ts';

/**
 * Fills a conversation with `count` messages straight in SQL (senders taking turns among the
 * members, each message seen by the other members, as in a lively group) and moves its counter on.
 */
export async function seedHistory(db: BenchDatabase, conversationId: number, count: number) {
  await db.query(
    `with members as (
       select user_id, row_number() over (order by position) - 1 as k, count(*) over () as n
       from conversation_members where conversation_id = $1),
     base as (select coalesce(last_seq, 0) as s from conversations where id = $1)
     insert into messages (conversation_id, seq, sender_id, content, created_at)
     select $1, base.s + g, m.user_id,
            'history message ' || g || ' — ' || repeat('lorem ipsum ', 1 + g % 8),
            now() - (($2 - g) || ' seconds')::interval
     from generate_series(1, $2) g cross join base
     join members m on m.k = g % m.n`,
    [conversationId, count],
  );
  await db.query(
    `insert into seen_messages (message_id, user_id, seen_at)
     select m.id, cm.user_id, m.created_at + interval '1 second'
     from messages m join conversation_members cm on cm.conversation_id = m.conversation_id
     where m.conversation_id = $1 and cm.user_id <> m.sender_id
     on conflict do nothing`,
    [conversationId],
  );
  await db.query(
    `update conversations set last_seq = (select max(seq) from messages where conversation_id = $1) where id = $1`,
    [conversationId],
  );
  await db.query('analyze messages; analyze seen_messages');
}

export interface ReadsResult {
  requests: number;
  errors: number;
  perSecond: number;
  latency: Summary;
  bytes: number;
}

/**
 * `concurrency` closed-loop clients reading pages of one conversation: worker w asks for
 * `path(w)` as reader `readers[w % readers.length]`.
 */
export async function pageReads(options: {
  target: Target;
  path: (worker: number) => string;
  readers: number[];
  concurrency: number;
  durationMs: number;
}): Promise<ReadsResult> {
  const { target } = options;
  let bytes = 0;
  const run = await closedLoop({
    concurrency: options.concurrency,
    durationMs: options.durationMs,
    op: async (worker) => {
      const reader = options.readers[worker % options.readers.length]!;
      const reply = await target.http.request('GET', options.path(worker), undefined, target.readHeaders(reader));
      bytes = reply.body.length;
      return reply.status === 200;
    },
  });
  return {
    requests: run.latencies.length,
    errors: run.errors,
    perSecond: (run.latencies.length / run.elapsedMs) * 1000,
    latency: summarize(run.latencies),
    bytes,
  };
}

/** One reader opening the conversation, one request at a time: the latency of a first page alone. */
export async function openLatency(target: Target, conversation: number, reader: number, times: number) {
  const path = target.historyPath(conversation);
  const latencies: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const reply = await target.http.request('GET', path, undefined, target.readHeaders(reader));
    if (reply.status !== 200) throw new Error(`history page: ${reply.status} ${reply.body.slice(0, 200)}`);
    latencies.push(performance.now() - t0);
  }
  return summarize(latencies);
}
