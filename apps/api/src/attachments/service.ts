import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { Attachment } from '@parley/contracts';
import type { Db } from '@parley/db';
import type { Logger } from 'pino';
import { AppError } from '../http/app-error.ts';
import type { RateLimit } from '../http/rate-limit.ts';
import { toAttachment } from './attachment.ts';
import { deleteUnsentBefore, findReadableAttachment, insertAttachment } from './queries.ts';
import { receiveUpload } from './receive-upload.ts';
import { isInline, sniff, thumbnail } from './sniff.ts';
import type { Storage } from './storage.ts';

export interface AttachmentDeps {
  db: Db;
  storage: Storage;
  logger: Logger;
  uploadLimit: RateLimit;
  maxBytes: number;
}

/** How long an upload waits for the message that sends it (API.md: 24 hours). */
export const UNSENT_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Takes one upload: streamed to a temporary file, typed from its bytes, measured and thumbnailed if
 * it is an image, moved into storage, then recorded. A failure at any step leaves no row and no bytes.
 */
export async function uploadAttachment(
  deps: AttachmentDeps,
  userId: number,
  req: IncomingMessage,
): Promise<Attachment> {
  const { db, storage, uploadLimit, maxBytes } = deps;
  await uploadLimit.consume(String(userId));
  const received = await receiveUpload(req, { maxBytes, tmpDir: storage.tmpDir });
  const storageKey = `a/${randomUUID()}`;
  const thumbnailKey = `t/${randomUUID()}`;
  const stored: string[] = [];
  try {
    const sniffed = await sniff(received.file, received.utf8);
    let hasThumbnail = false;
    if (sniffed.image) {
      await storage.putBuffer(thumbnailKey, await thumbnail(received.file));
      stored.push(thumbnailKey);
      hasThumbnail = true;
    }
    await storage.putFile(storageKey, received.file);
    stored.push(storageKey);
    const row = await insertAttachment(db, {
      uploaderId: userId,
      name: received.name,
      contentType: sniffed.contentType,
      size: received.size,
      width: sniffed.image?.width ?? null,
      height: sniffed.image?.height ?? null,
      storageKey,
      thumbnailKey: hasThumbnail ? thumbnailKey : null,
    });
    return toAttachment(row);
  } catch (err) {
    await rm(received.file, { force: true });
    await eraseBytes(deps, stored);
    throw err;
  }
}

export interface FileToServe {
  body: Readable;
  contentType: string;
  size?: number;
  /** `inline`, or a download under this name. */
  disposition: { inline: true } | { inline: false; name: string };
}

/**
 * The bytes of attachment `id` for `userId`, or its thumbnail; `not_found` for anyone who may not
 * read it and for a name that is not the attachment's. `thumbnail` is also a file's name: a file
 * named so without a thumbnail of its own is served as itself.
 */
export async function openAttachment(
  { db, storage }: AttachmentDeps,
  userId: number,
  id: number,
  name: string,
): Promise<FileToServe> {
  const row = await findReadableAttachment(db, id, userId);
  if (!row) throw new AppError('not_found');
  if (name === 'thumbnail' && row.thumbnailKey) {
    const body = await storage.read(row.thumbnailKey);
    if (!body) throw new AppError('not_found');
    return { body, contentType: 'image/webp', disposition: { inline: true } };
  }
  if (name !== row.name) throw new AppError('not_found');
  const body = await storage.read(row.storageKey);
  if (!body) throw new AppError('not_found');
  return {
    body,
    contentType: row.contentType,
    size: Number(row.size),
    disposition: isInline(row.contentType) ? { inline: true } : { inline: false, name: row.name },
  };
}

/** Erases bytes whose rows are gone; a failure is logged, never thrown at the user. */
export async function eraseBytes({ storage, logger }: Pick<AttachmentDeps, 'storage' | 'logger'>, keys: string[]) {
  for (const key of keys) {
    try {
      await storage.delete(key);
    } catch (err) {
      logger.error({ err, key }, 'could not erase stored bytes');
    }
  }
}

/** Deletes uploads not sent within 24 hours of `now` (API.md), rows then bytes; answers the objects erased. */
export async function sweepUnsent(deps: AttachmentDeps, now: number): Promise<number> {
  const keys = await deleteUnsentBefore(deps.db, new Date(now - UNSENT_TTL_MS));
  await eraseBytes(deps, keys);
  return keys.length;
}
