import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import expressStaticGzip from 'express-static-gzip';

const YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * The built SPA. Vite writes content-hashed files under /assets and a `.br` and `.gz` beside each
 * (apps/web/precompress.ts), so they are sent precompressed and cached for good; every other file
 * (index.html, anything in public/) must be revalidated, since its URL stays the same across deploys.
 * Every path that is not a file is a screen of the SPA (UI.md: each has its own URL).
 */
export function spaRouter(webDist: string): Router {
  const root = path.resolve(webDist);
  const router = express.Router();
  router.use(
    expressStaticGzip(root, {
      enableBrotli: true,
      orderPreference: ['br', 'gzip'],
      index: false,
      serveStatic: {
        index: false,
        setHeaders(res, file) {
          const hashed = path.relative(root, file).startsWith(`assets${path.sep}`);
          res.setHeader('Cache-Control', hashed ? `public, max-age=${YEAR_SECONDS}, immutable` : 'no-cache');
        },
      },
    }),
  );
  router.get(/^(?!\/api\/|\/socket\.io\/).*/, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(path.join(root, 'index.html'));
  });
  return router;
}

/**
 * The CSP sources (`'sha256-…'`) of the inline scripts in the built index.html, so that the Content
 * Security Policy lets those run and no other. Worked out from the file served, so a rebuild cannot leave
 * a stale hash behind (ADR 059).
 */
export function inlineScriptHashes(webDist: string): string[] {
  const file = path.join(path.resolve(webDist), 'index.html');
  if (!existsSync(file)) return [];
  const html = readFileSync(file, 'utf8');
  return [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map(
    ([, body]) => `'sha256-${createHash('sha256').update(body!, 'utf8').digest('base64')}'`,
  );
}
