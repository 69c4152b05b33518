// Bundles the API into dist/index.js: our workspace packages (TypeScript source) are compiled in,
// every other package stays external and is loaded from node_modules at run time (ADR 006).

import { cp, readFile, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(root, 'dist');
const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
const declared = new Set(Object.keys(manifest.dependencies ?? {}));
const builtins = new Set(builtinModules);

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
const packageName = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

const undeclared = new Set();
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, ({ path: specifier }) => {
      if (specifier.startsWith('@parley/')) return undefined;
      const name = packageName(specifier);
      if (!specifier.startsWith('node:') && !builtins.has(name) && !declared.has(name)) undeclared.add(name);
      return { path: specifier, external: true };
    });
  },
};

await rm(dist, { recursive: true, force: true });
await build({
  entryPoints: [path.join(root, 'src/index.ts')],
  outfile: path.join(dist, 'index.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [externalPackages],
});
// packages/db looks for its migrations beside the bundle once bundled (dist/migrations).
await cp(path.join(root, '../../packages/db/migrations'), path.join(dist, 'migrations'), { recursive: true });

if (undeclared.size > 0) {
  // The monorepo's hoisted node_modules may hide this; a production install of @parley/api would not.
  console.warn(`build: the bundle imports ${[...undeclared].join(', ')}, not declared in @parley/api's dependencies`);
}
console.log(`build: ${path.relative(process.cwd(), path.join(dist, 'index.js')) || 'dist/index.js'} written`);
