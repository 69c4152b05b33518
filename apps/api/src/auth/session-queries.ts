import { type Db, sessions } from '@parley/db';
import { and, ne, sql } from 'drizzle-orm';

/** Deletes every session of `userId` but `keepSessionId`; returns the ids deleted. Rare: a scan is fine. */
export async function deleteOtherSessions(db: Db, userId: number, keepSessionId: string): Promise<string[]> {
  const rows = await db
    .delete(sessions)
    .where(and(ne(sessions.sid, keepSessionId), sql`${sessions.sess}->'passport'->>'user' = ${String(userId)}`))
    .returning({ sid: sessions.sid });
  return rows.map((r) => r.sid);
}
