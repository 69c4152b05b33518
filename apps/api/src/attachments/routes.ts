import { attachmentParams } from '@parley/contracts';
import { Router } from 'express';
import { requireUser, userId } from '../auth/require-user.ts';
import { AppError } from '../http/app-error.ts';
import { serveFile } from '../http/serve-file.ts';
import { parse } from '../http/validate.ts';
import { type AttachmentDeps, openAttachment, uploadAttachment } from './service.ts';

/** Mounted at /api/attachments. */
export function attachmentsRouter(deps: AttachmentDeps): Router {
  const router = Router();

  // The one route that is not JSON (API.md, Conventions): the body is streamed, never parsed here.
  router.post('/', requireUser, async (req, res) => {
    res.status(201).json({ attachment: await uploadAttachment(deps, userId(req), req) });
  });

  // Signed out is "anyone else" too: 404, so a URL tells a stranger nothing (API.md, Attachments).
  router.get('/:id/:name', async (req, res) => {
    const { id, name } = parse(attachmentParams, req.params);
    if (!req.user) throw new AppError('not_found');
    await serveFile(res, await openAttachment(deps, req.user.id, id, name));
  });

  return router;
}
