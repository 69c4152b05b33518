import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, type EmbeddedServer, migrateDatabase, startEmbeddedPostgres } from '@parley/db';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated database that each test file copies (CREATE DATABASE … TEMPLATE). */
    templateUrl: string;
  }
}

/**
 * One PostgreSQL server per run: the one DATABASE_URL points at, or an embedded one in a temporary
 * folder. A template database is migrated once; everything this run made is dropped at the end.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedServer | undefined;
  let dataDir: string | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-test-'));
    embedded = await startEmbeddedPostgres(dataDir, { database: 'postgres' });
    serverUrl = embedded.url('postgres');
  }
  const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const templateName = `parley_test_${runId}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  await admin.query(`create database "${templateName}"`);
  const template = createDatabase(withDatabase(serverUrl, templateName), { max: 1 });
  await migrateDatabase(template);
  await template.end();
  project.provide('templateUrl', withDatabase(serverUrl, templateName));

  return async () => {
    const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [
      `parley_test_${runId}%`,
    ]);
    for (const { datname } of rows) await admin.query(`drop database if exists "${datname}" with (force)`);
    await admin.end();
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
