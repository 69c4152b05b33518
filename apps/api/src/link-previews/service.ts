import { randomUUID } from 'node:crypto';
import type { Db } from '@parley/db';
import type { Logger } from 'pino';
import { thumbnail } from '../attachments/sniff.ts';
import type { Storage } from '../attachments/storage.ts';
import type { Clock } from '../clock.ts';
import { findMessageToChange } from '../messages/changes.ts';
import { createUrlFetcher, DEFAULT_LIMITS, type FetchLimits, PreviewFetchError } from './fetch-url.ts';
import { firstUrl } from './first-url.ts';
import { cachedPreviewId, insertPreview, lockConversation, setPreview } from './queries.ts';

export interface LinkPreviews {
  /** After a commit: the preview of `url` for the message, fetched (or taken from the cache) later. */
  schedule(conversationId: number, messageId: number, url: string): void;
  /** Resolves once every preview scheduled so far is stored or given up (a barrier for tests). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** The cache's lifetime (API.md): a URL is fetched at most once an hour, across conversations. */
export const PREVIEW_CACHE_MS = 60 * 60 * 1000;

export interface LinkPreviewDeps {
  db: Db;
  storage: Storage;
  logger: Logger;
  clock: Clock;
  /** Commits the preview as a sequenced change of the message (messages/actions.ts). */
  commit: (conversationId: number, messageId: number, write: (tx: Db) => Promise<boolean>) => Promise<unknown>;
  enabled: boolean;
  allow: ReadonlySet<string>;
  limits?: Partial<FetchLimits>;
}

export const disabledPreviews: LinkPreviews = {
  schedule() {},
  idle: async () => {},
  close: async () => {},
};

/**
 * Link previews (ADR 044): fetched after the commit through the SSRF guard, parsed from the HTML we
 * fetched, the image resized and kept on our origin, stored once per URL an hour, and attached to
 * the message as `message:updated`. Any failure of the page stores and emits nothing.
 */
export function createLinkPreviews(deps: LinkPreviewDeps): LinkPreviews {
  if (!deps.enabled) return disabledPreviews;
  const { db, storage, logger, clock } = deps;
  const fetcher = createUrlFetcher(deps.allow, { ...DEFAULT_LIMITS, ...deps.limits });
  const running = new Set<Promise<void>>();
  // Two messages with one URL at once fetch it once.
  const fetching = new Map<string, Promise<number | undefined>>();

  async function previewOf(url: string): Promise<number | undefined> {
    const cached = await cachedPreviewId(db, url, new Date(clock.now() - PREVIEW_CACHE_MS));
    if (cached !== undefined) return cached;
    let pending = fetching.get(url);
    if (!pending) {
      pending = fetchAndStore(url).finally(() => fetching.delete(url));
      fetching.set(url, pending);
    }
    return pending;
  }

  async function fetchAndStore(url: string): Promise<number | undefined> {
    const started = clock.now();
    const page = await fetcher.page(url);
    // The page parser (open-graph-scraper, cheerio, parse5) comes with the first preview, not at
    // start-up (ADR 047).
    const { summarize } = await import('./parse-page.ts');
    const summary = await summarize(page.body.toString('utf8'), page.url);
    if (!summary) {
      logger.info({ reason: 'no_title' }, 'link preview: the page has no title');
      return undefined;
    }
    const imageKey = summary.imageUrl ? await storeImage(summary.imageUrl) : null;
    const id = await insertPreview(db, {
      url,
      title: summary.title,
      description: summary.description,
      siteName: summary.siteName,
      imageKey,
      fetchedAt: new Date(started),
    });
    return id;
  }

  /** An image that cannot be had leaves imageUrl null; the preview itself stands. */
  async function storeImage(imageUrl: string): Promise<string | null> {
    try {
      const image = await fetcher.image(imageUrl);
      const key = `p/${randomUUID()}`;
      await storage.putBuffer(key, await thumbnail(image.body));
      return key;
    } catch (err) {
      logger.info({ reason: reasonOf(err) }, 'link preview: no image');
      return null;
    }
  }

  async function attach(conversationId: number, messageId: number, url: string) {
    const previewId = await previewOf(url);
    if (previewId === undefined) return;
    await deps.commit(conversationId, messageId, async (tx) => {
      const conversation = await lockConversation(tx, conversationId);
      if (!conversation || conversation.closedAt) return false;
      const target = await findMessageToChange(tx, conversationId, messageId);
      // Deleted, already previewed, or edited to another URL while we fetched: nothing to do.
      if (!target || target.deletedAt || target.previewId !== null) return false;
      if (firstUrl(target.content) !== url) return false;
      await setPreview(tx, messageId, previewId);
      return true;
    });
  }

  return {
    schedule(conversationId, messageId, url) {
      const job = attach(conversationId, messageId, url)
        .catch((err) => logger.info({ reason: reasonOf(err), messageId }, 'link preview: none'))
        .finally(() => running.delete(job));
      running.add(job);
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    async close() {
      // Fetches in flight are cut off; their messages simply get no preview.
      await fetcher.close();
      await this.idle();
    },
  };
}

const reasonOf = (err: unknown) => (err instanceof PreviewFetchError ? err.code : (err as Error)?.message);
