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
      'nickname_version',
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
    await Promise.all(replicas.map((replica) => replica.end()));
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
    await db.end();
    await rm(before, { recursive: true, force: true });
    await database.drop();
  }
});

it('keeps a stored title only where it was set by hand, and makes open untitled pairs direct, one per pair', async () => {
  const database = await createTestDatabase({ empty: true });
  const db = createDatabase(database.url, { max: 1 });
  const before = await mkdtemp(path.join(os.tmpdir(), 'parley-migrations-'));
  try {
    await cp(migrationsDir, before, { recursive: true });
    const journalPath = path.join(before, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalPath, 'utf8'));
    journal.entries = journal.entries.filter((e: { tag: string }) => e.tag < '0007');
    await writeFile(journalPath, JSON.stringify(journal));
    await migrateDatabase(db, before);
    const long = Array.from({ length: 12 }, (_, i) => `Longnicknamedperson${i}`);
    await db.pool.query(`
      insert into users (email, nickname, password_hash) values
        ('a@x.test', 'Ann', 'x'), ('b@x.test', 'Ben', 'x'), ('c@x.test', 'Cy', 'x');
      insert into users (email, nickname, password_hash)
        select 'l' || g || '@x.test', 'Longnicknamedperson' || g, 'x' from generate_series(0, 11) g;
      insert into conversations (id, title, owner_id, last_activity_at, closed_at) values
        (1, 'Ann, Ben', 1, now() - interval '2 days', null),   -- an untitled pair, older
        (2, 'Ann, Ben', 2, now() - interval '1 day', null),    -- the same pair again, newer: becomes direct
        (3, 'Lunch', 1, now(), null),                          -- titled by hand: stays a group, title kept
        (4, 'Ann, Cy', 1, now(), now()),                       -- closed: stays a group
        (5, 'Ann, Ben, Cy', 1, now(), null),                   -- untitled group of three
        (6, '${titleOf(['Ann', ...long])}', 1, now(), null);   -- a long automatic title, cut
      insert into conversation_members (conversation_id, user_id, position, is_owner) values
        (1, 1, 0, true), (1, 2, 1, false), (2, 2, 0, true), (2, 1, 1, false), (3, 1, 0, true), (3, 2, 1, false),
        (4, 1, 0, true), (4, 3, 1, false), (5, 1, 0, true), (5, 2, 1, false), (5, 3, 2, false);
      insert into conversation_members (conversation_id, user_id, position, is_owner)
        select 6, 1, 0, true union all select 6, id, id, false from users where nickname like 'Long%';`);
    // Ben wrote the stored title of 2 with his own name second; it still equals the auto title (by position).
    await db.pool.query(`update conversations set title = 'Ben, Ann' where id = 2`);

    await migrateDatabase(db);
    const { rows } = await db.pool.query(
      'select id, kind, custom_title, owner_id, direct_key from conversations order by id',
    );
    expect(rows).toEqual([
      { id: 1, kind: 'group', custom_title: null, owner_id: 1, direct_key: null },
      { id: 2, kind: 'direct', custom_title: null, owner_id: null, direct_key: '1:2' },
      { id: 3, kind: 'group', custom_title: 'Lunch', owner_id: 1, direct_key: null },
      { id: 4, kind: 'group', custom_title: null, owner_id: 1, direct_key: null },
      { id: 5, kind: 'group', custom_title: null, owner_id: 1, direct_key: null },
      { id: 6, kind: 'group', custom_title: null, owner_id: 1, direct_key: null },
    ]);
  } finally {
    await db.end();
    await rm(before, { recursive: true, force: true });
    await database.drop();
  }
});

/** The title the code before 0007 stored for an untitled conversation. */
function titleOf(nicknames: string[]): string {
  const full = nicknames.join(', ');
  if (full.length <= 100) return full;
  let title = nicknames[0]!;
  for (const nickname of nicknames.slice(1)) {
    if (`${title}, ${nickname}, …`.length > 100) break;
    title = `${title}, ${nickname}`;
  }
  return `${title}, …`;
}
