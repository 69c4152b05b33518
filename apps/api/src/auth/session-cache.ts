import type { SessionData, Store } from 'express-session';

export interface SessionEvictions {
  /** Tells every replica (this one included) to forget these sessions; resolves once they all have. */
  publish(sessionIds: string[]): Promise<void>;
  subscribe(onEvict: (sessionIds: string[]) => void): void;
}

const MAX_ENTRIES = 20_000;

/**
 * Keeps sessions read in the last few seconds in memory, so most requests cost no session query.
 * Writes go through to PostgreSQL. A destroyed session is forgotten here at once and, through
 * `evictions` (Redis pub/sub with several replicas), everywhere else: a logout answers only once every
 * replica has confirmed it (session-evictions.ts). A read of the store that was in flight when a
 * session was forgotten is answered but not kept, since it may predate the deletion. A cached copy
 * is never trusted past the session's own expiry.
 * Unknown session ids are never cached, so random cookies cannot fill the memory.
 */
export function cacheSessions(store: Store, ttlMs: number, evictions?: SessionEvictions) {
  const cache = new Map<string, { json: string; until: number }>();
  // Moves on every forget: a store read that began before one is not remembered.
  let forgets = 0;
  const forget = (ids: string[]) => {
    forgets += 1;
    for (const id of ids) cache.delete(id);
  };
  const remember = (sid: string, session: SessionData) => {
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    // The store wrote the row's expiry from the cookie's, so that is when the row stops counting.
    const expires = session.cookie?.expires ? new Date(session.cookie.expires).getTime() : Number.POSITIVE_INFINITY;
    cache.set(sid, { json: JSON.stringify(session), until: Math.min(Date.now() + ttlMs, expires) });
  };
  evictions?.subscribe(forget);

  const get = store.get.bind(store);
  const set = store.set.bind(store);
  const destroy = store.destroy.bind(store);

  store.get = (sid, callback) => {
    const hit = cache.get(sid);
    // express-session mutates what it is given, so every hit is a fresh copy.
    if (hit && hit.until > Date.now()) return callback(null, JSON.parse(hit.json));
    const began = forgets;
    get(sid, (err, session) => {
      if (!err && session && began === forgets) remember(sid, session);
      else cache.delete(sid);
      callback(err, session);
    });
  };
  store.set = (sid, session, callback) => {
    cache.delete(sid);
    set(sid, session, callback);
  };
  store.destroy = (sid, callback) => {
    forget([sid]);
    destroy(sid, (err) => {
      // Again once the row is gone: a read that began between the first forget and the delete saw it.
      forget([sid]);
      if (!evictions) return callback?.(err);
      // Other replicas must have confirmed before the logout answers (an error there is Redis's, not ours).
      evictions.publish([sid]).then(
        () => callback?.(err),
        () => callback?.(err),
      );
    });
  };

  /**
   * For sessions deleted behind the store's back (a new password or email ends the others), after
   * the delete. Resolves once every replica has confirmed; with Redis away, within a second, and the
   * other replicas' copies still go within `ttlMs`.
   */
  return async function evict(sessionIds: string[]): Promise<void> {
    forget(sessionIds);
    if (sessionIds.length > 0) await evictions?.publish(sessionIds).catch(() => {});
  };
}
