import { conversationMembers, conversations, type Db, nicknameVersion } from '@parley/db';
import { eq, sql } from 'drizzle-orm';
import { oneInFlight } from '../one-in-flight.ts';
import type { ReadVersion } from './page-cache.ts';

/** Many callers' memberships and versions at once: (conversation, user) pairs in two arrays. */
function versionsStatement(db: Db) {
  return db
    .select({
      conversationId: conversationMembers.conversationId,
      userId: conversationMembers.userId,
      seq: conversations.lastSeq,
      nicknames: sql<number>`(select ${nicknameVersion.version} from ${nicknameVersion} where ${nicknameVersion.id} = 1)`,
    })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(
      sql`(${conversationMembers.conversationId}, ${conversationMembers.userId}) in (
        select * from unnest(${sql.placeholder('conversationIds')}::int[], ${sql.placeholder('userIds')}::int[]))`,
    )
    .prepare('read_versions');
}

interface Waiting {
  conversationId: number;
  userId: number;
  resolve: (version: ReadVersion | undefined) => void;
  reject: (err: unknown) => void;
}

/**
 * The membership check of a cached read and the version its page must have (ADR 046): primary-key
 * lookups, prepared once. Concurrent reads share one statement: while one is in flight the next
 * callers wait and then go together, so a lone read waits for nothing and a busy replica makes one
 * round trip for many reads. Each read's check still starts after the read arrived, so it sees
 * every change committed before: a member removed on any replica is refused at once. Undefined for
 * a non-member.
 */
export function createVersionReader(db: Db) {
  const statement = versionsStatement(db);
  const enqueue = oneInFlight<Waiting>(
    (waiting) => waiting.splice(0),
    async (batch) => {
      try {
        const rows = await statement.execute({
          conversationIds: batch.map((w) => w.conversationId),
          userIds: batch.map((w) => w.userId),
        });
        const byPair = new Map(rows.map((r) => [`${r.conversationId}:${r.userId}`, r]));
        for (const w of batch) {
          const row = byPair.get(`${w.conversationId}:${w.userId}`);
          w.resolve(row && { seq: row.seq, nicknames: row.nicknames });
        }
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    },
  );

  return function readVersion(conversationId: number, userId: number): Promise<ReadVersion | undefined> {
    return new Promise((resolve, reject) => enqueue({ conversationId, userId, resolve, reject }));
  };
}

export type VersionReader = ReturnType<typeof createVersionReader>;
