import { readdirSync } from 'node:fs';
import path from 'node:path';
import { createDatabase, migrateDatabase } from '@parley/db';
import { expect, it } from 'vitest';
import { createTestDatabase } from './support/test-app.ts';

const migrationFiles = readdirSync(path.resolve(import.meta.dirname, '../../../packages/db/migrations')).filter((f) =>
  f.endsWith('.sql'),
);

it('migrates a fresh database once when several replicas start together', async () => {
  const database = await createTestDatabase({ empty: true });
  const replicas = [1, 2, 3].map(() => createDatabase(database.url, { max: 2 }));
  try {
    await Promise.all(replicas.map((replica) => migrateDatabase(replica)));
    const query = async (text: string) => (await replicas[0]!.pool.query(text)).rows;
    // Each migration applied once, however many replicas raced to apply it.
    const applied = await query('select count(*)::int as n from drizzle.__drizzle_migrations');
    expect(applied[0].n).toBe(migrationFiles.length);
    const tables = await query(`select tablename from pg_tables where schemaname = 'public' order by tablename`);
    expect(tables.map((t) => t.tablename)).toEqual([
      'attachments',
      'conversation_events',
      'conversation_members',
      'conversations',
      'link_previews',
      'message_reactions',
      'messages',
      'seen_messages',
      'session',
      'users',
    ]);
    const indexes = (await query(`select indexname from pg_indexes where schemaname = 'public'`)).map(
      (i) => i.indexname,
    );
    // The guards the code relies on: one message per (sender, clientId), gapless seq, case-blind
    // uniqueness of emails and nicknames, and the trigram index contact search reads.
    expect(indexes).toEqual(
      expect.arrayContaining([
        'messages_sender_client_id_key',
        'messages_conversation_seq_key',
        'messages_conversation_id_idx',
        'users_email_lower_key',
        'users_nickname_lower_key',
        'users_nickname_trgm_idx',
      ]),
    );
    const columns = await query(
      `select column_name from information_schema.columns where table_schema = 'public' and table_name = 'conversations'`,
    );
    expect(columns.map((c) => c.column_name)).not.toContain('last_message_id');
    expect(columns.map((c) => c.column_name)).toContain('last_seq');
  } finally {
    await Promise.all(replicas.map((replica) => replica.pool.end()));
    await database.drop();
  }
});
