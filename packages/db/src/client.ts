import { existsSync } from 'node:fs';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle, type NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema.ts';

/** A database handle or an open transaction: query functions take either. */
export type Db = PgDatabase<NodePgQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;
export interface Database {
  db: Db;
  pool: pg.Pool;
}

// Beside the source (packages/db/migrations) or, once bundled, beside the bundle (dist/migrations).
const migrationsFolder = [new URL('../migrations', import.meta.url), new URL('./migrations', import.meta.url)]
  .map((url) => url.pathname)
  .find((folder) => existsSync(folder));

export function createDatabase(url: string, options: { max?: number } = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // Fail a request quickly when the database is gone instead of queueing it forever (503, not a hang).
    connectionTimeoutMillis: 5_000,
  });
  // An idle client losing its server must not crash the process; the next query reports the error.
  pool.on('error', () => {});
  return { db: drizzle(pool, { schema }), pool };
}

const MIGRATION_LOCK = 7_245_339; // any constant shared by every replica

/** Applies the committed SQL migrations; safe to run on every start, from several replicas at once. */
export async function migrateDatabase(database: Database, folder = migrationsFolder): Promise<void> {
  if (!folder) throw new Error('The migrations folder is missing');
  // Replicas starting together on a fresh database take turns: the first migrates, the rest find it done.
  const client = await database.pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle(client, { schema }), { migrationsFolder: folder });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}
