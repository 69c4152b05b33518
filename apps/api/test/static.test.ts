import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, startServer, type TestDatabase, type TestServer } from './support/test-app.ts';

// A build as Vite leaves it: a hashed asset with its precompressed copies, and the SPA's index.html.
const script = `console.log(${JSON.stringify('parley '.repeat(500))});\n`;
// The page's own inline script, as index.html's early requests (ADR 059).
const inline = '\n      window.__parleyEarly = {};\n    ';
let dist: string;
let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  dist = await mkdtemp(path.join(os.tmpdir(), 'parley-dist-'));
  await mkdir(path.join(dist, 'assets'));
  const asset = path.join(dist, 'assets', 'index-abc123.js');
  await writeFile(asset, script);
  await writeFile(`${asset}.br`, brotliCompressSync(script));
  await writeFile(`${asset}.gz`, gzipSync(script));
  await writeFile(
    path.join(dist, 'index.html'),
    `<!doctype html><title>Parley</title><script>${inline}</script><script type="module" src="/assets/index-abc123.js"></script>`,
  );
  await writeFile(path.join(dist, 'robots.txt'), 'User-agent: *\n');
  db = await createTestDatabase();
  server = await startServer(db.url, { WEB_DIST: dist });
});
afterAll(async () => {
  await server?.stop();
  await db?.drop();
  await rm(dist, { recursive: true, force: true });
});

const get = (pathname: string, encoding?: string) =>
  fetch(server.url + pathname, { headers: encoding ? { 'accept-encoding': encoding } : {} });

describe('the built web app', () => {
  it('sends hashed assets precompressed with brotli, cached for good', async () => {
    const res = await get('/assets/index-abc123.js', 'gzip, deflate, br');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // fetch decodes brotli itself; the bytes on the wire are the .br file.
    expect(await res.text()).toBe(script);
    expect(Number(res.headers.get('content-length'))).toBe(brotliCompressSync(script).length);
  });

  it('falls back to gzip, then to the plain file, by what the browser accepts', async () => {
    const gz = await get('/assets/index-abc123.js', 'gzip');
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(await gz.text()).toBe(script);
    const plain = await get('/assets/index-abc123.js', 'identity');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Number(plain.headers.get('content-length'))).toBe(Buffer.byteLength(script));
  });

  it('revalidates files outside /assets, and answers every screen with index.html', async () => {
    const robots = await get('/robots.txt');
    expect(robots.headers.get('cache-control')).toBe('no-cache');
    const screen = await get('/c/42?message=7');
    expect(screen.status).toBe(200);
    expect(screen.headers.get('cache-control')).toBe('no-cache');
    expect(await screen.text()).toContain('<title>Parley</title>');
  });

  it('lets the page’s own inline script run by its hash, and no other inline script', async () => {
    const csp = (await get('/c/42')).headers.get('content-security-policy') ?? '';
    const scriptSrc = csp.split(';').find((directive) => directive.trim().startsWith('script-src '));
    const hash = createHash('sha256').update(inline).digest('base64');
    expect(scriptSrc?.trim().split(/\s+/)).toEqual(['script-src', "'self'", `'sha256-${hash}'`]);
  });

  it('keeps the API’s own 404 for unknown API paths', async () => {
    const res = await get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});
