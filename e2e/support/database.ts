import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../packages/db/src/embedded.ts';

export interface E2eDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A database nobody has used: a new `parley_e2e_<random>` on the server DATABASE_URL points at, or,
 * without it, an embedded PostgreSQL in a new temporary folder. `drop` removes it either way.
 */
export async function createE2eDatabase(): Promise<E2eDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `parley_e2e_${randomBytes(6).toString('hex')}`;
    await admin(serverUrl, `create database "${name}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return { url: url.toString(), drop: () => admin(serverUrl, `drop database if exists "${name}" with (force)`) };
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-e2e-'));
  const embedded = await startEmbeddedPostgres(dataDir);
  return {
    url: embedded.url(),
    async drop() {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
