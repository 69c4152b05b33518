import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';

const require = createRequire(import.meta.url);
const FILES = ['en/data.json', 'en/messages.json'];

/**
 * Serves the emoji picker's data (emojibase-data) from our own origin, never a CDN: the files are
 * copied into the build under a versioned folder (the server caches every built file as immutable)
 * and served from node_modules in development. The app reads the folder's URL from
 * `import.meta.env.EMOJIBASE_URL`, frimousse's `emojibaseUrl`.
 */
export function emojibaseData(): Plugin {
  const packageJson = require.resolve('emojibase-data/package.json');
  const root = path.dirname(packageJson);
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const folder = `assets/emojibase-data@${version}`;
  return {
    name: 'parley:emojibase-data',
    config: () => ({ define: { 'import.meta.env.EMOJIBASE_URL': JSON.stringify(`/${folder}`) } }),
    configureServer(server) {
      server.middlewares.use(`/${folder}`, (req, res, next) => {
        const file = req.url?.replace(/^\//, '').split('?')[0];
        if (!file || !FILES.includes(file)) return next();
        res.setHeader('Content-Type', 'application/json');
        res.end(readFileSync(path.join(root, file)));
      });
    },
    generateBundle() {
      for (const file of FILES) {
        this.emitFile({ type: 'asset', fileName: `${folder}/${file}`, source: readFileSync(path.join(root, file)) });
      }
    },
  };
}
