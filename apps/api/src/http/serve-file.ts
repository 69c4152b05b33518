import { pipeline } from 'node:stream/promises';
import contentDisposition from 'content-disposition';
import type { Response } from 'express';
import type { FileToServe } from '../attachments/service.ts';

/**
 * Bytes that users gave us, served so that they can never run as our page (API.md, Attachments):
 * the stored type, no sniffing, a sandbox with nothing allowed, cached by the browser only, and
 * everything but images and PDFs a download under its name (RFC 6266, `filename*` per RFC 5987).
 */
export async function serveFile(res: Response, file: FileToServe): Promise<void> {
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.setHeader('Cache-Control', 'private, max-age=3600');
  res.setHeader(
    'Content-Disposition',
    file.disposition.inline
      ? 'inline'
      : contentDisposition(file.disposition.name, {
          type: 'attachment',
          // An ASCII `filename` for old clients; any other character goes in `filename*` (UTF-8).
          fallback: file.disposition.name.replace(/[^\x20-\x7e]/g, '_'),
        }),
  );
  if (file.size !== undefined) res.setHeader('Content-Length', String(file.size));
  try {
    await pipeline(file.body, res);
  } catch (err) {
    // A reader who goes away mid-download is not a failure of ours.
    if ((err as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
  }
}
