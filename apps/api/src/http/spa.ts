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
