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
  /**
   * A few connections that plan each named statement once and keep that plan (ADR 052): for the hot
   * prepared statements only. Ad-hoc queries stay on `pool`, planned for their own parameters.
   */
  planned: { db: Db; pool: pg.Pool };
  /** Closes both pools. */
  end(): Promise<void>;
}

// Beside the source (packages/db/migrations) or, once bundled, beside the bundle (dist/migrations).
const migrationsFolder = [new URL('../migrations', import.meta.url), new URL('./migrations', import.meta.url)]
  .map((url) => url.pathname)
  .find((folder) => existsSync(folder));

function createPool(url: string, max: number, options?: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    options,
    // Fail a request quickly when the database is gone instead of queueing it forever (503, not a hang).
    connectionTimeoutMillis: 5_000,
    // Idle connections stay open (node-postgres closes them after 10 s by default). The pools are small and
    // fixed, and a conversation quiet for 10 s otherwise paid for its next message with a new connection and
    // a fresh plan of each named statement (ADR 052): the first seconds after a pause were 2-3x slower.
    idleTimeoutMillis: 0,
  });
  // An idle client losing its server must not crash the process; the next query reports the error.
  pool.on('error', () => {});
  return pool;
}

/**
 * PostgreSQL plans a named statement for its parameters on each of its first five runs, then keeps
 * doing so while that looks cheaper than one plan for all. For the batch send that meant planning
 * (about 1 ms) on every run, more than running it. On these connections every statement with
 * parameters gets the generic plan, kept per connection for a named one. That includes the unnamed
 * statements node-postgres sends, so only statements whose plan is the same whatever the parameters
 * (index lookups) belong on this pool (ADR 052).
 *
 * A kept plan is made from the tables' sizes at the statement's first run, which on a new deployment
 * means nearly empty tables, where reading a whole table or hashing it costs least. Kept while the
 * tables grow, such a plan reads every message on every send. So these connections plan without
 * sequential scans, hash joins or merge joins: key lookups in nested loops, the plan these statements
 * need at any size (ADR 056).
 */
const PLAN_ONCE = [
  'plan_cache_mode=force_generic_plan',
  'enable_seqscan=off',
  'enable_hashjoin=off',
  'enable_mergejoin=off',
  // A switched-off method that is still chosen adds 1e10 to a plan's cost, far past JIT's thresholds,
  // and JIT-compiling a key lookup on every run costs more than the lookup.
  'jit=off',
]
  .map((setting) => `-c ${setting}`)
  .join(' ');

export function createDatabase(url: string, options: { max?: number; plannedMax?: number } = {}): Database {
  const pool = createPool(url, options.max ?? 10);
  // One connection each for the send queue and the read check (one statement in flight each), two for
  // push fan-outs. They open on first use.
  const plannedPool = createPool(url, options.plannedMax ?? 4, PLAN_ONCE);
  return {
    db: drizzle(pool, { schema }),
    pool,
    planned: { db: drizzle(plannedPool, { schema }), pool: plannedPool },
    end: async () => {
      await Promise.all([pool.end(), plannedPool.end()]);
    },
  };
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
