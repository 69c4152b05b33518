import type { PushSubscriptionBody } from '@parley/contracts';
import { type Db, pgErrorOf } from '@parley/db';
import { AppError } from '../http/app-error.ts';
import { deleteSessionSubscription, saveSubscription } from './queries.ts';

const FOREIGN_KEY_VIOLATION = '23503';

/** Subscribes this session's browser; a session ended meanwhile (logout in another tab) is a 401. */
export async function subscribe(
  db: Db,
  sessionId: string,
  userId: number,
  body: PushSubscriptionBody,
): Promise<{ created: boolean }> {
  try {
    return await saveSubscription(db, sessionId, userId, body);
  } catch (err) {
    if (pgErrorOf(err).code === FOREIGN_KEY_VIOLATION) throw new AppError('unauthenticated');
    throw err;
  }
}

/** Idempotent: an endpoint this session does not hold is already "not subscribed". */
export async function unsubscribe(db: Db, sessionId: string, endpoint: string): Promise<void> {
  await deleteSessionSubscription(db, sessionId, endpoint);
}
