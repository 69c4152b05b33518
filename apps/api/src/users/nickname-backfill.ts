import { type Db, pgErrorOf, UNIQUE_VIOLATION, users } from '@parley/db';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { nicknameKey } from './nickname-key.ts';

/**
 * Gives accounts from before migration 0004 their look-alike key: SQL cannot compute a TR39 skeleton,
 * so the API does it at start, oldest account first. Where two old nicknames already look alike, the
 * older account keeps the key and the newer stays without one (logged) until its owner renames it;
 * nobody new can take either look (ADR 027). Every replica may run it: each row is written once.
 */
export async function backfillNicknameKeys(db: Db, logger: Logger): Promise<void> {
  let lastId = 0;
  for (;;) {
    const batch = await db
      .select({ id: users.id, nickname: users.nickname })
      .from(users)
      .where(and(isNull(users.nicknameKey), sql`${users.id} > ${lastId}`))
      .orderBy(asc(users.id))
      .limit(500);
    if (batch.length === 0) return;
    for (const { id, nickname } of batch) {
      lastId = id;
      try {
        await db
          .update(users)
          .set({ nicknameKey: nicknameKey(nickname) })
          .where(and(eq(users.id, id), isNull(users.nicknameKey)));
      } catch (err) {
        if (pgErrorOf(err).code !== UNIQUE_VIOLATION) throw err;
        logger.warn({ userId: id }, 'nickname looks like an older account’s; left without a look-alike key');
      }
    }
  }
}
