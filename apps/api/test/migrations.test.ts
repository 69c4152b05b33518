import { readdirSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, migrateDatabase } from '@parley/db';
import { expect, it } from 'vitest';
import { createTestDatabase } from './support/test-app.ts';

const migrationsDir = path.resolve(import.meta.dirname, '../../../packages/db/migrations');
const migrationFiles = readdirSync(migrationsDir).filter((f) => f.endsWith('.sql'));

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
      'push_subscriptions',
      'push_vapid_keys',
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

it('starts the event log of a database from before it with every message already sent, so catching up from 0 works', async () => {
  const database = await createTestDatabase({ empty: true });
  const db = createDatabase(database.url, { max: 1 });
  // The migrations as they were before the event log: the same files, the journal cut before 0003.
  const before = await mkdtemp(path.join(os.tmpdir(), 'parley-migrations-'));
  try {
    await cp(migrationsDir, before, { recursive: true });
    const journalPath = path.join(before, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalPath, 'utf8'));
    journal.entries = journal.entries.filter((e: { tag: string }) => e.tag < '0003');
    await writeFile(journalPath, JSON.stringify(journal));
    await migrateDatabase(db, before);
    await db.pool.query(`
      insert into users (email, nickname, password_hash) values ('a@example.test', 'A', 'x'), ('b@example.test', 'B', 'x');
      insert into conversations (title, owner_id, last_seq) values ('Old', 1, 2);
      insert into conversation_members (conversation_id, user_id, position, is_owner) values (1, 1, 0, true), (1, 2, 1, false);
      insert into messages (conversation_id, seq, sender_id, content) values (1, 1, 1, 'one'), (1, 2, 2, 'two');`);

    await migrateDatabase(db);
    const { rows } = await db.pool.query(
      `select seq, type, message_id from conversation_events where conversation_id = 1 order by seq`,
    );
    expect(rows).toEqual([
      { seq: 1, type: 'message:new', message_id: 1 },
      { seq: 2, type: 'message:new', message_id: 2 },
    ]);
  } finally {
    await db.pool.end();
    await rm(before, { recursive: true, force: true });
    await database.drop();
  }
});
