import { conversationMembers, type Db, nicknameVersion, users } from '@parley/db';
import { and, asc, eq, ilike, inArray, ne, sql } from 'drizzle-orm';
import { nicknameKey } from './nickname-key.ts';

const lower = (value: string) => value.toLowerCase();

export function findUserByEmail(db: Db, email: string) {
  return db.query.users.findFirst({ where: sql`lower(${users.email}) = ${lower(email)}` });
}

export function findUserById(db: Db, id: number) {
  return db.query.users.findFirst({ where: eq(users.id, id) });
}

/**
 * Which of an email and a nickname are already taken by someone other than `exceptId`: the email in
 * any letter case, the nickname by anyone whose nickname looks the same (nickname-key.ts).
 */
export async function findTaken(db: Db, { email, nickname }: { email?: string; nickname?: string }, exceptId = 0) {
  const key = nickname === undefined ? null : nicknameKey(nickname);
  const rows = await db
    .select({ email: users.email, nickname: users.nickname, key: users.nicknameKey })
    .from(users)
    .where(
      and(
        ne(users.id, exceptId),
        sql`(lower(${users.email}) = ${email ? lower(email) : null} or ${users.nicknameKey} = ${key} or lower(${users.nickname}) = ${nickname ? lower(nickname) : null})`,
      ),
    );
  return {
    email: email !== undefined && rows.some((r) => lower(r.email) === lower(email)),
    nickname: nickname !== undefined && rows.some((r) => r.key === key || lower(r.nickname) === lower(nickname)),
  };
}

export async function insertUser(db: Db, values: { email: string; nickname: string; passwordHash: string }) {
  const [row] = await db
    .insert(users)
    .values({ ...values, nicknameKey: nicknameKey(values.nickname) })
    .returning();
  return row!;
}

export async function updateUser(
  db: Db,
  id: number,
  values: Partial<{ email: string; nickname: string; passwordHash: string }>,
) {
  if (values.nickname === undefined) {
    const [row] = await db.update(users).set(values).where(eq(users.id, id)).returning();
    return row!;
  }
  const nickname = values.nickname;
  // Pages embed senders' nicknames: the rename moves the version cached pages are keyed by, in the
  // same transaction, so no replica can serve the old name once the new one is committed (ADR 046).
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ ...values, nicknameKey: nicknameKey(nickname) })
      .where(eq(users.id, id))
      .returning();
    await tx.update(nicknameVersion).set({ version: sql`${nicknameVersion.version} + 1` });
    return row!;
  });
}

/** Contacts: every other user whose nickname contains `q`, by nickname. */
export function searchUsers(db: Db, meId: number, q: string, limit: number) {
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .select({ id: users.id, nickname: users.nickname })
    .from(users)
    .where(and(ne(users.id, meId), q ? ilike(users.nickname, pattern) : undefined))
    .orderBy(asc(sql`lower(${users.nickname})`), asc(users.id))
    .limit(limit);
}

export function findUsersByIds(db: Db, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.select({ id: users.id, nickname: users.nickname }).from(users).where(inArray(users.id, ids));
}

/** Which of `ids` share at least one conversation with `userId`: the people allowed to see each other's presence. */
export async function sharingAConversation(db: Db, userId: number, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ id: sql<number>`other.user_id` })
    .from(sql`${conversationMembers} mine`)
    .innerJoin(sql`${conversationMembers} other`, sql`other.conversation_id = mine.conversation_id`)
    .where(sql`mine.user_id = ${userId} and other.user_id in ${ids}`);
  return new Set(rows.map((r) => Number(r.id)));
}
