import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { endLogs } from '../../src/observability/logger.ts';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('endLogs', () => {
  it('calls back only once every line is written, the ones queued behind a write in flight included', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'parley-logs-'));
    const file = path.join(dir, 'api.log');
    // The same asynchronous destination the API logs through (createLogger), on a file.
    const destination = pino.destination({ dest: file, sync: false });
    await new Promise<void>((resolve) => destination.once('ready', () => resolve()));
    const logger = pino({ level: 'info' }, destination);
    // Enough lines that writes are still in flight, and more queued, when the last one is logged.
    for (let i = 0; i < 5_000; i++) logger.info({ i, padding: 'x'.repeat(200) }, 'working');
    logger.info({ signal: 'SIGTERM' }, 'stopped');
    await new Promise<void>((resolve) => endLogs(logger, resolve));
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(5_001);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ msg: 'stopped', signal: 'SIGTERM' });
  });
});
