import type { SessionData, Store } from 'express-session';

export interface SessionEvictions {
  /** Tells every replica (this one included) to forget these sessions. */
  publish(sessionIds: string[]): void;
  subscribe(onEvict: (sessionIds: string[]) => void): void;
}

const MAX_ENTRIES = 20_000;

/**
 * Keeps sessions read in the last few seconds in memory, so most requests cost no session query.
 * Writes go through to PostgreSQL. A destroyed session is forgotten here at once and, through
 * `evictions` (Redis pub/sub with several replicas), everywhere else within milliseconds.
 * Unknown session ids are never cached, so random cookies cannot fill the memory.
 */
export function cacheSessions(store: Store, ttlMs: number, evictions?: SessionEvictions) {
  const cache = new Map<string, { json: string; until: number }>();
  const forget = (ids: string[]) => {
    for (const id of ids) cache.delete(id);
  };
  const remember = (sid: string, session: SessionData) => {
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(sid, { json: JSON.stringify(session), until: Date.now() + ttlMs });
  };
  evictions?.subscribe(forget);

  const get = store.get.bind(store);
  const set = store.set.bind(store);
  const destroy = store.destroy.bind(store);

  store.get = (sid, callback) => {
    const hit = cache.get(sid);
    // express-session mutates what it is given, so every hit is a fresh copy.
    if (hit && hit.until > Date.now()) return callback(null, JSON.parse(hit.json));
    get(sid, (err, session) => {
      if (!err && session) remember(sid, session);
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
      evictions?.publish([sid]);
      callback?.(err);
    });
  };

  /** For sessions deleted behind the store's back (a new password ends the others). */
  return function evict(sessionIds: string[]) {
    forget(sessionIds);
    evictions?.publish(sessionIds);
  };
}
