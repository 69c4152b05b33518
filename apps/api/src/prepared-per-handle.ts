import type { Db } from '@parley/db';

/**
 * A drizzle prepared statement (or a set of them) built once per database handle: once for the pool,
 * and once per transaction that asks. Building a statement's SQL costs the API about as much CPU as a
 * small query costs PostgreSQL, so the hot reads must not pay it per request. A named statement is
 * also parsed once per connection, and its plan kept while PostgreSQL finds the generic one as cheap.
 */
export function preparedPerHandle<T>(prepare: (db: Db) => T): (db: Db) => T {
  const byHandle = new WeakMap<Db, T>();
  return (db) => {
    let prepared = byHandle.get(db);
    if (!prepared) {
      prepared = prepare(db);
      byHandle.set(db, prepared);
    }
    return prepared;
  };
}
