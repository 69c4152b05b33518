import type { PushSubscriptionBody } from '@parley/contracts';
import { conversationMembers, type Db, pushSubscriptions, pushVapidKeys, sessions } from '@parley/db';
import { and, eq, sql } from 'drizzle-orm';

export interface StoredSubscription {
  id: number;
  userId: number;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/**
 * Stores the subscription for `sessionId`. An endpoint is one browser: seen from another session (a
 * new sign-in on that browser, maybe by someone else) it moves to this one. `created` is false when
 * this session already had it.
 */
export async function saveSubscription(
  db: Db,
  sessionId: string,
  userId: number,
  body: PushSubscriptionBody,
): Promise<{ created: boolean }> {
  const result = await db.execute<{ created: boolean }>(sql`
    with previous as (
      select session_id, user_id from ${pushSubscriptions} where endpoint = ${body.endpoint}
    ), saved as (
      insert into ${pushSubscriptions} (session_id, user_id, endpoint, p256dh, auth)
      values (${sessionId}, ${userId}, ${body.endpoint}, ${body.keys.p256dh}, ${body.keys.auth})
      on conflict (endpoint) do update
        set session_id = excluded.session_id, user_id = excluded.user_id,
            p256dh = excluded.p256dh, auth = excluded.auth
      returning id
    )
    select not exists (
      select 1 from previous where session_id = ${sessionId} and user_id = ${userId}
    ) as created from saved`);
  return { created: result.rows[0]?.created ?? true };
}

/** Only the session's own subscription: another session's endpoint is not the caller's to remove. */
export async function deleteSessionSubscription(db: Db, sessionId: string, endpoint: string): Promise<void> {
  await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.sessionId, sessionId), eq(pushSubscriptions.endpoint, endpoint)));
}

export async function deleteSubscriptionById(db: Db, id: number): Promise<void> {
  await db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, id));
}

/** What a push needs of a stored subscription. */
const subscriptionColumns = {
  id: pushSubscriptions.id,
  userId: pushSubscriptions.userId,
  endpoint: pushSubscriptions.endpoint,
  p256dh: pushSubscriptions.p256dh,
  auth: pushSubscriptions.auth,
};

export async function subscriptionsOfSession(db: Db, sessionId: string): Promise<StoredSubscription[]> {
  return db.select(subscriptionColumns).from(pushSubscriptions).where(eq(pushSubscriptions.sessionId, sessionId));
}

/**
 * Every subscription of every member of these conversations, with the conversation it is a member
 * of: one query for a burst of messages. A session past its expiry that the store has not pruned yet
 * is not pushed to. Prepared once: it runs after every burst of sends (ADR 052).
 */
export function pushCandidatesStatement(db: Db) {
  const statement = db
    .select({ ...subscriptionColumns, conversationId: conversationMembers.conversationId })
    .from(conversationMembers)
    .innerJoin(pushSubscriptions, eq(pushSubscriptions.userId, conversationMembers.userId))
    .innerJoin(sessions, eq(sessions.sid, pushSubscriptions.sessionId))
    .where(
      and(
        sql`${conversationMembers.conversationId} = any(${sql.placeholder('conversationIds')}::int[])`,
        sql`${sessions.expire} > now()`,
      ),
    )
    .prepare('push_candidates');
  return (conversationIds: number[]): Promise<(StoredSubscription & { conversationId: number })[]> =>
    statement.execute({ conversationIds: `{${conversationIds.join(',')}}` });
}

export interface VapidPair {
  publicKey: string;
  privateKey: string;
}

/**
 * The stored pair, or `candidate` stored as it. Replicas starting together each offer a pair; the
 * first insert wins, the others' do nothing, and every replica reads back the winner.
 */
export async function storedVapidPair(db: Db, candidate: VapidPair): Promise<VapidPair> {
  await db
    .insert(pushVapidKeys)
    .values({ id: 1, ...candidate })
    .onConflictDoNothing();
  const [row] = await db
    .select({ publicKey: pushVapidKeys.publicKey, privateKey: pushVapidKeys.privateKey })
    .from(pushVapidKeys)
    .where(eq(pushVapidKeys.id, 1));
  if (!row) throw new Error('the VAPID key pair was not stored');
  return row;
}
