import { attachmentIdParams } from '@parley/contracts';
import type { Db } from '@parley/db';
import { Router } from 'express';
import type { Storage } from '../attachments/storage.ts';
import { AppError } from '../http/app-error.ts';
import { serveFile } from '../http/serve-file.ts';
import { parse } from '../http/validate.ts';
import { readablePreviewImageKey } from './queries.ts';

/**
 * Mounted at /api/link-previews: a preview's image, from our origin, to the members of a
 * conversation showing it, with the headers of a thumbnail; 404 to everyone else.
 */
export function linkPreviewsRouter({ db, storage }: { db: Db; storage: Storage }): Router {
  const router = Router();
  router.get('/:id/image', async (req, res) => {
    const { id } = parse(attachmentIdParams, req.params);
    if (!req.user) throw new AppError('not_found');
    const key = await readablePreviewImageKey(db, id, req.user.id);
    const body = key ? await storage.read(key) : undefined;
    if (!body) throw new AppError('not_found');
    await serveFile(res, { body, contentType: 'image/webp', disposition: { inline: true } });
  });
  return router;
}
