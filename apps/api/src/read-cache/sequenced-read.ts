import type { Db } from '@parley/db';
import type { Request, Response } from 'express';
import { AppError } from '../http/app-error.ts';
import { createPageCache, type ReadVersion } from './page-cache.ts';
import { createVersionReader } from './queries.ts';

export interface SequencedRead<T> {
  conversationId: number;
  userId: number;
  /** The page's parameters, as a string: with the conversation, what names the page. */
  params: string;
  /** Refuses what the version alone refuses (a cursor past `seq`), before the cache is consulted. */
  check?: (version: ReadVersion) => void;
  /** The page read as without a cache. */
  build: () => Promise<T>;
  /** Whether this page is the same for every member and changes only with the version; default yes. */
  shared?: (page: T) => boolean;
}

/**
 * Reads of one conversation's sequenced state (history pages, the event log), answered from a cache
 * of `maxBytes` when the page held is of the version PostgreSQL has now, else built, answered and
 * kept (ADR 046). Either way the caller's membership is checked first, against PostgreSQL.
 */
export function createSequencedReads(db: Db, maxBytes: number) {
  const pages = createPageCache(maxBytes);
  const readVersion = createVersionReader(db);

  async function answer<T>(req: Request, res: Response, read: SequencedRead<T>): Promise<void> {
    const version = await readVersion(read.conversationId, read.userId);
    if (!version) throw new AppError('not_found');
    read.check?.(version);
    const key = `${read.conversationId}:${read.params}`;
    let page = pages.get(key, version);
    if (!page) {
      const value = await read.build();
      const body = Buffer.from(JSON.stringify(value));
      // The ETag Express would compute for these bytes, once per page instead of once per answer.
      const etagOf = req.app.get('etag fn') as ((body: Buffer) => string) | undefined;
      page = { body, etag: etagOf?.(body) };
      // Built after the version was read, the page is of that version or newer: kept under the
      // older one, it can only be asked for by readers who overlapped the change (ADR 046).
      if (read.shared?.(value) ?? true) pages.set(key, version, page);
    }
    if (page.etag) res.set('ETag', page.etag);
    res.set('Content-Type', 'application/json');
    res.send(page.body);
  }

  return { answer, stats: pages.stats };
}

export type SequencedReads = ReturnType<typeof createSequencedReads>;
