import { createDatabase, migrateDatabase } from '@parley/db';
import pg from 'pg';
import { expect, inject, it } from 'vitest';

it('migrates a fresh database once when several replicas start together', async () => {
  const admin = new URL(inject('templateUrl'));
  const name = `${admin.pathname.slice(1)}_migrate_${process.pid}`;
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`create database "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const replicas = [1, 2, 3].map(() => createDatabase(url.toString(), { max: 2 }));
  try {
    await Promise.all(replicas.map((replica) => migrateDatabase(replica)));
    const { rows } = await replicas[0]!.pool.query('select count(*)::int as n from drizzle.__drizzle_migrations');
    expect(rows[0].n).toBeGreaterThanOrEqual(2);
    const tables = await replicas[0]!.pool.query(
      `select count(*)::int as n from pg_tables where schemaname = 'public'`,
    );
    expect(tables.rows[0].n).toBe(8);
  } finally {
    await Promise.all(replicas.map((replica) => replica.pool.end()));
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.end();
  }
});
