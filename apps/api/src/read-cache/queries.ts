import { conversationMembers, conversations, type Db, nicknameVersion } from '@parley/db';
import { and, eq, sql } from 'drizzle-orm';
import type { ReadVersion } from './page-cache.ts';

function versionStatement(db: Db) {
  return db
    .select({
      seq: conversations.lastSeq,
      nicknames: sql<number>`(select ${nicknameVersion.version} from ${nicknameVersion} where ${nicknameVersion.id} = 1)`,
    })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(
      and(
        eq(conversationMembers.conversationId, sql.placeholder('conversationId')),
        eq(conversationMembers.userId, sql.placeholder('userId')),
      ),
    )
    .prepare('read_version');
}
const prepared = new WeakMap<Db, ReturnType<typeof versionStatement>>();

/**
 * The membership check of a cached read and the version its page must have, in one statement of
 * three primary-key lookups, prepared once per database handle. Undefined for a non-member: the
 * check runs on every read, cached or not, so a member removed on any replica is refused at once.
 */
export async function readVersion(db: Db, conversationId: number, userId: number): Promise<ReadVersion | undefined> {
  let statement = prepared.get(db);
  if (!statement) {
    statement = versionStatement(db);
    prepared.set(db, statement);
  }
  const [row] = await statement.execute({ conversationId, userId });
  return row;
}
