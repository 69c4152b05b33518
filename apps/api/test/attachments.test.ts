import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { Attachment, Message } from '@parley/contracts';
import S3rver from 's3rver';
import { describe, expect, it } from 'vitest';
import { SWEEP_EVERY_MS } from '../src/attachments/sweeper.ts';
import { manualClock } from './support/clock.ts';
import { aliceAndBob } from './support/fixtures.ts';
import { apiForThisFile, createTestDatabase, signUp, startServer, until } from './support/test-app.ts';
import { download, filesUnder, images, pdf, upload } from './support/uploads.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'parley-attachments-'));
const file = apiForThisFile({ DATA_DIR: dataDir });
const MiB = 1024 * 1024;
const HOUR = 60 * 60 * 1000;

const pair = () => aliceAndBob(file.server);

function expectError(res: { status: number; body: any }, status: number, code: string) {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
}

/** The storage keys of an attachment, read from the database (not part of the API). */
async function keysOf(id: number): Promise<string[]> {
  const { rows } = await file.server.database.pool.query(
    'select storage_key, thumbnail_key from attachments where id = $1',
    [id],
  );
  return rows.flatMap((r) => [r.storage_key, r.thumbnail_key].filter(Boolean));
}

async function rowCount(): Promise<number> {
  const { rows } = await file.server.database.pool.query('select count(*)::int as n from attachments');
  return rows[0].n;
}

const SANDBOX = "default-src 'none'; sandbox";

describe('uploading', () => {
  it('takes a PNG as an image with its size and a WebP thumbnail that fits 800×600', async () => {
    const { alice } = await pair();
    const png = await images.png(30, 20);
    const res = await upload(alice, 'chart.png', png, 'image/png');
    expect(res.status).toBe(201);
    const attachment: Attachment = res.body.attachment;
    expect(attachment).toEqual({
      id: expect.any(Number),
      name: 'chart.png',
      contentType: 'image/png',
      size: png.length,
      width: 30,
      height: 20,
      url: `/api/attachments/${attachment.id}/chart.png`,
      thumbnailUrl: `/api/attachments/${attachment.id}/thumbnail`,
    });
    const thumb = await download(alice, file.server.url, attachment.thumbnailUrl!);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    const sharp = (await import('sharp')).default;
    expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: 'webp', width: 30, height: 20 });

    const big = await upload(alice, 'wide.webp', await images.webp());
    expect(big.body.attachment).toMatchObject({ contentType: 'image/webp', width: 2000, height: 1000 });
    const bigThumb = await download(alice, file.server.url, big.body.attachment.thumbnailUrl);
    expect(await sharp(bigThumb.bytes).metadata()).toMatchObject({ width: 800, height: 400 });
  });

  it('reads the size of a JPEG after its EXIF orientation (6: width and height swapped)', async () => {
    const { alice } = await pair();
    const res = await upload(alice, 'phone.jpg', await images.jpegOrientation6(), 'image/jpeg');
    expect(res.body.attachment).toMatchObject({ contentType: 'image/jpeg', width: 20, height: 40 });
    const thumb = await download(alice, file.server.url, res.body.attachment.thumbnailUrl);
    const sharp = (await import('sharp')).default;
    // The thumbnail is turned the right way up, so it carries no orientation of its own.
    expect(await sharp(thumb.bytes).metadata()).toMatchObject({ width: 20, height: 40 });
  });

  it('takes a GIF as an image', async () => {
    const { alice } = await pair();
    const res = await upload(alice, 'wave.gif', await images.gif(), 'image/gif');
    expect(res.body.attachment).toMatchObject({ contentType: 'image/gif', width: 16, height: 12 });
    expect(res.body.attachment.thumbnailUrl).not.toBeNull();
  });

  it('types from the bytes: an SVG with a script, HTML named cat.png, a PDF, text, unknown bytes', async () => {
    const { alice } = await pair();
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>';
    const html = '<!DOCTYPE html><html><body><script>alert(1)</script></body></html>';
    const cases = [
      { name: 'logo.svg', bytes: svg, claimed: 'image/svg+xml', type: 'image/svg+xml' },
      { name: 'cat.png', bytes: html, claimed: 'image/png', type: 'text/html' },
      { name: 'report.pdf', bytes: pdf, claimed: 'application/pdf', type: 'application/pdf' },
      { name: 'notes.txt', bytes: 'Grüße, 世界\n', claimed: 'text/plain', type: 'text/plain' },
      {
        name: 'blob.bin',
        bytes: Buffer.from([0x13, 0x37, 0x00, 0xc3, 0x28, 0x01]),
        claimed: 'text/plain',
        type: 'application/octet-stream',
      },
    ];
    for (const c of cases) {
      const res = await upload(alice, c.name, c.bytes, c.claimed);
      expect(res.status, c.name).toBe(201);
      expect(res.body.attachment, c.name).toMatchObject({
        name: c.name,
        contentType: c.type,
        width: null,
        height: null,
        thumbnailUrl: null,
      });
    }
  });

  it('refuses an empty file, a body that is not multipart, and a form without the part `file`', async () => {
    const { alice } = await pair();
    const before = await rowCount();
    const empty = await upload(alice, 'empty.txt', '');
    expectError(empty, 400, 'validation_failed');
    expect(empty.body.error.fields).toEqual({ file: expect.any(String) });
    expectError(await alice.post('/api/attachments', { file: 'x' }), 415, 'unsupported_media_type');
    const form = new FormData();
    form.append('other', new File(['x'], 'x.txt'));
    const res = await fetch(`${file.server.url}/api/attachments`, {
      method: 'POST',
      body: form,
      headers: { cookie: alice.cookie },
    });
    expect(res.status).toBe(400);
    expect(await rowCount()).toBe(before);
  });

  it('answers 413 above ATTACHMENT_MAX_BYTES and leaves no row and no bytes behind', async () => {
    const { alice } = await pair();
    const before = { rows: await rowCount(), files: await filesUnder(dataDir) };
    const res = await upload(alice, 'huge.bin', new Uint8Array(26 * MiB));
    expectError(res, 413, 'payload_too_large');
    expect(await rowCount()).toBe(before.rows);
    expect(await filesUnder(dataDir)).toEqual(before.files);
    // The same without a Content-Length (chunked): counted while streaming, not trusted from a header.
    const body = new ReadableStream({
      start(controller) {
        const boundary = '----parley';
        controller.enqueue(
          new TextEncoder().encode(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n`,
          ),
        );
        for (let i = 0; i < 26; i++) controller.enqueue(new Uint8Array(MiB).fill(7));
        controller.enqueue(new TextEncoder().encode(`\r\n--${boundary}--\r\n`));
        controller.close();
      },
    });
    const chunked = await fetch(`${file.server.url}/api/attachments`, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { cookie: alice.cookie, 'content-type': 'multipart/form-data; boundary=----parley' },
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await rowCount()).toBe(before.rows);
    expect(await filesUnder(dataDir)).toEqual(before.files);
  });

  it('applies the Origin rule and needs a session', async () => {
    const { alice } = await pair();
    expectError(
      await upload(alice, 'a.txt', 'hi', 'text/plain', { origin: 'https://evil.example' }),
      403,
      'csrf_rejected',
    );
    const signedOut = await fetch(`${file.server.url}/api/attachments`, { method: 'POST', body: new FormData() });
    expect(signedOut.status).toBe(401);
  });

  it('limits uploads per user (UPLOAD_RATE_LIMIT)', async () => {
    const limited = await file.replica({ UPLOAD_RATE_LIMIT: 2 });
    const carol = await signUp(limited, 'Carol');
    const dave = await signUp(limited, 'Dave');
    expect((await upload(carol, 'a.txt', 'a')).status).toBe(201);
    expect((await upload(carol, 'b.txt', 'b')).status).toBe(201);
    const third = await upload(carol, 'c.txt', 'c');
    expectError(third, 429, 'rate_limited');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await upload(dave, 'd.txt', 'd')).status).toBe(201);
  });
});

describe('serving', () => {
  it('serves the uploader before sending, the members after, and 404 to everyone else', async () => {
    const { alice, bob, url } = await pair();
    const dave = await signUp(file.server, 'Dave');
    const png = await images.png();
    const { attachment } = (await upload(alice, 'shot.png', png)).body;
    const base = file.server.url;
    expect((await download(alice, base, attachment.url)).status).toBe(200);
    expect((await download(bob, base, attachment.url)).status).toBe(404);
    expect((await download(bob, base, attachment.thumbnailUrl)).status).toBe(404);

    const sent = await alice.post(`${url}/messages`, { content: '', attachmentIds: [attachment.id] });
    expect(sent.status).toBe(201);
    expect(sent.body.message.attachments).toEqual([attachment]);

    const asBob = await download(bob, base, attachment.url);
    expect(asBob.status).toBe(200);
    expect(asBob.bytes.equals(png)).toBe(true);
    expect(
      Object.fromEntries(
        [
          'content-type',
          'x-content-type-options',
          'content-security-policy',
          'cache-control',
          'content-disposition',
          'content-length',
        ].map((h) => [h, asBob.headers.get(h)]),
      ),
    ).toEqual({
      'content-type': 'image/png',
      'x-content-type-options': 'nosniff',
      'content-security-policy': SANDBOX,
      'cache-control': 'private, max-age=3600',
      'content-disposition': 'inline',
      'content-length': String(png.length),
    });
    const thumb = await download(bob, base, attachment.thumbnailUrl);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-security-policy')).toBe(SANDBOX);
    expect(thumb.headers.get('cache-control')).toBe('private, max-age=3600');

    for (const who of [dave, undefined]) {
      const res = await download(who, base, attachment.url);
      expect(res.status).toBe(404);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect((await download(who, base, attachment.thumbnailUrl)).status).toBe(404);
    }
    // The name is part of the address: another name is not this file.
    expect((await download(bob, base, `/api/attachments/${attachment.id}/other.png`)).status).toBe(404);
    expect((await download(bob, base, '/api/attachments/abc/x.png')).status).toBe(400);
  });

  it('serves SVG, HTML and text as sandboxed downloads under their name; PDF inline', async () => {
    const { alice, bob, url } = await pair();
    const svg = await upload(
      alice,
      'logo.svg',
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    const html = await upload(alice, 'cat.png', '<html><script>alert(1)</script></html>', 'image/png');
    const text = await upload(alice, 'Grüße.txt', 'hello');
    const doc = await upload(alice, 'report.pdf', pdf);
    const attachments = [svg, html, text, doc].map((r) => r.body.attachment as Attachment);
    await alice.post(`${url}/messages`, { content: 'files', attachmentIds: attachments.map((a) => a.id) });
    const base = file.server.url;
    const [s, h, t, p] = await Promise.all(attachments.map((a) => download(bob, base, a.url)));
    expect(s!.headers.get('content-type')).toBe('image/svg+xml');
    expect(s!.headers.get('content-disposition')).toBe('attachment; filename="logo.svg"');
    expect(h!.headers.get('content-type')).toMatch(/^text\/html/);
    expect(h!.headers.get('content-disposition')).toBe('attachment; filename="cat.png"');
    expect(t!.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(t!.headers.get('content-disposition')).toBe(
      `attachment; filename="Gr__e.txt"; filename*=UTF-8''Gr%C3%BC%C3%9Fe.txt`,
    );
    expect(p!.headers.get('content-disposition')).toBe('inline');
    for (const res of [s, h, t, p]) {
      expect(res!.headers.get('content-security-policy')).toBe(SANDBOX);
      expect(res!.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});

describe('sending with attachments', () => {
  it('takes up to 10 of the sender’s own unsent uploads, and content may then be empty', async () => {
    const { alice, bob, url } = await pair();
    const mine = await Promise.all(
      Array.from({ length: 11 }, async (_, i) => (await upload(alice, `f${i}.txt`, `file ${i}`)).body.attachment.id),
    );
    const bobs = (await upload(bob, 'bob.txt', 'bob')).body.attachment.id;
    const refused = [
      { content: '', attachmentIds: mine },
      { content: 'x', attachmentIds: [bobs] },
      { content: 'x', attachmentIds: [999999] },
      { content: 'x', attachmentIds: [mine[0], mine[0]] },
    ];
    for (const body of refused) {
      const res = await alice.post(`${url}/messages`, body);
      expectError(res, 400, 'validation_failed');
      expect(Object.keys(res.body.error.fields)).toEqual(['attachmentIds']);
    }
    const noText = await alice.post(`${url}/messages`, { content: '  ' });
    expect(noText.body.error.fields).toEqual({ content: expect.any(String) });

    const sent = await alice.post(`${url}/messages`, { content: '', attachmentIds: mine.slice(0, 10) });
    expect(sent.status).toBe(201);
    expect(sent.body.message.content).toBe('');
    // In upload order.
    const sentIds = mine.slice(0, 10).sort((a, b) => a - b);
    expect(sent.body.message.attachments.map((a: Attachment) => a.id)).toEqual(sentIds);
    const history: Message[] = (await bob.get(`${url}/messages`)).body.messages;
    expect(history.at(-1)).toEqual(sent.body.message);
    // Sent once: a second message cannot take it again.
    const again = await alice.post(`${url}/messages`, { content: 'again', attachmentIds: [mine[0]] });
    expect(again.body.error.fields).toEqual({ attachmentIds: expect.any(String) });
  });

  it('lets the text of a message with files be edited away, not that of one without', async () => {
    const { alice, url } = await pair();
    const id = (await upload(alice, 'keep.txt', 'keep')).body.attachment.id;
    const withFile = (await alice.post(`${url}/messages`, { content: 'caption', attachmentIds: [id] })).body.message;
    const edited = await alice.patch(`${url}/messages/${withFile.id}`, { content: '  ' });
    expect(edited.status).toBe(200);
    expect(edited.body.message).toMatchObject({ content: '', attachments: [{ id }] });
    const plain = (await alice.post(`${url}/messages`, { content: 'words' })).body.message;
    const refused = await alice.patch(`${url}/messages/${plain.id}`, { content: '' });
    expectError(refused, 400, 'validation_failed');
    expect(refused.body.error.fields).toEqual({ content: expect.any(String) });
  });

  it('gives each upload to one message when two sends race for it', async () => {
    const { alice, url } = await pair();
    const id = (await upload(alice, 'once.txt', 'once')).body.attachment.id;
    const results = await Promise.all(
      [1, 2, 3].map((n) => alice.post(`${url}/messages`, { content: `try ${n}`, attachmentIds: [id] })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 400, 400]);
  });
});

describe('lifecycle', () => {
  it('erases the bytes from storage when the message is deleted', async () => {
    const { alice, bob, url } = await pair();
    const { attachment } = (await upload(alice, 'gone.png', await images.png())).body;
    const keys = await keysOf(attachment.id);
    expect(keys).toHaveLength(2);
    const { message } = (await alice.post(`${url}/messages`, { content: 'soon gone', attachmentIds: [attachment.id] }))
      .body;
    for (const key of keys) expect(await file.server.app.storage.exists(key)).toBe(true);
    const tombstone = await alice.request('DELETE', `${url}/messages/${message.id}`);
    expect(tombstone.body.message).toMatchObject({ attachments: [], content: '', preview: null });
    for (const key of keys) expect(await file.server.app.storage.exists(key)).toBe(false);
    expect((await download(bob, file.server.url, attachment.url)).status).toBe(404);
  });

  it('deletes uploads not sent within 24 hours (the sweep, on a clock moved by hand)', async () => {
    const clock = manualClock();
    const server = await startServer(file.db.url, { DATA_DIR: dataDir }, { sweepClock: clock });
    try {
      const alice = await signUp(server, 'Alice');
      const kept = (await upload(alice, 'kept.txt', 'kept')).body.attachment;
      const sent = (await upload(alice, 'sent.txt', 'sent')).body.attachment;
      const bob = await signUp(server, 'Bob');
      const c = (await alice.post('/api/conversations', { memberIds: [bob.user.id] })).body.conversation;
      await alice.post(`/api/conversations/${c.id}/messages`, { content: 'x', attachmentIds: [sent.id] });
      const keptKeys = await keysOf(kept.id);
      // Time passes one sweep at a time, each awaited: the sweeper arms its next run when one ends.
      const pass = async (ms: number) => {
        for (let left = ms; left > 0; left -= SWEEP_EVERY_MS) {
          clock.advance(Math.min(left, SWEEP_EVERY_MS));
          await server.app.sweeper.settled();
        }
      };
      await pass(23 * HOUR + 50 * 60 * 1000);
      expect((await download(alice, server.url, kept.url)).status).toBe(200);
      await pass(20 * 60 * 1000);
      expect((await download(alice, server.url, kept.url)).status).toBe(404);
      expect(await keysOf(kept.id)).toEqual([]);
      for (const key of keptKeys) expect(await server.app.storage.exists(key)).toBe(false);
      expect((await download(bob, server.url, sent.url)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

describe('memory', () => {
  it('streams a 25 MiB upload: the API’s RSS grows by less than 50 MiB', async () => {
    const db = await createTestDatabase();
    const api = await spawnApi(db.url, mkdtempSync(path.join(os.tmpdir(), 'parley-rss-')));
    try {
      const alice = await signUp(api, 'Alice');
      // Warm up the paths an upload takes (busboy, file-type, the database) before the baseline.
      for (let i = 0; i < 3; i++) expect((await upload(alice, 'warm.bin', randomBytes(MiB))).status).toBe(201);
      const baseline = api.rss();
      let peak = baseline;
      const sampler = setInterval(() => {
        peak = Math.max(peak, api.rss());
      }, 5);
      const res = await upload(alice, 'big.bin', randomBytes(25 * MiB));
      clearInterval(sampler);
      peak = Math.max(peak, api.rss());
      expect(res.status).toBe(201);
      expect(res.body.attachment.size).toBe(25 * MiB);
      const grewMiB = (peak - baseline) / MiB;
      console.info(
        `RSS during a 25 MiB upload: baseline ${(baseline / MiB).toFixed(1)} MiB, grew ${grewMiB.toFixed(1)} MiB`,
      );
      expect(grewMiB).toBeLessThan(50);
    } finally {
      await api.stop();
      await db.drop();
    }
  }, 60_000);
});

/** The API as its own process (as in production, through tsx), so its RSS is its own. */
async function spawnApi(databaseUrl: string, dataDir: string) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      SESSION_SECRET: 'a-session-secret-for-the-rss-test-only',
      UPLOAD_RATE_LIMIT: '0',
      LINK_PREVIEWS: 'off',
      REDIS_URL: '',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await until(async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.ok === true, 30_000);
  return {
    url,
    rss: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('s3 storage', () => {
  it('keeps the bytes in an S3-compatible bucket: upload, serve, erase with the message', async () => {
    const s3Dir = mkdtempSync(path.join(os.tmpdir(), 'parley-s3rver-'));
    const s3 = new S3rver({ port: 0, address: '127.0.0.1', directory: s3Dir, silent: true });
    const { port } = await s3.run();
    const endpoint = `http://127.0.0.1:${port}`;
    const client = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    await client.send(new CreateBucketCommand({ Bucket: 'parley-test' }));
    const server = await startServer(file.db.url, {
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'parley-s3-data-')),
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'parley-test',
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: true,
    });
    try {
      const { alice, bob, url } = await aliceAndBob(server);
      const png = await images.png(64, 48);
      const { attachment } = (await upload(alice, 'in-s3.png', png)).body;
      const keys = await keysOf(attachment.id);
      const listed = await client.send(new ListObjectsV2Command({ Bucket: 'parley-test' }));
      expect(listed.Contents?.map((o) => o.Key).sort()).toEqual([...keys].sort());
      const { message } = (await alice.post(`${url}/messages`, { content: 'from s3', attachmentIds: [attachment.id] }))
        .body;
      const served = await download(bob, server.url, attachment.url);
      expect(served.status).toBe(200);
      expect(served.bytes.equals(png)).toBe(true);
      expect((await download(bob, server.url, attachment.thumbnailUrl)).headers.get('content-type')).toBe('image/webp');
      await alice.request('DELETE', `${url}/messages/${message.id}`);
      const after = await client.send(new ListObjectsV2Command({ Bucket: 'parley-test' }));
      expect(after.Contents ?? []).toEqual([]);
    } finally {
      await server.stop();
      client.destroy();
      await s3.close();
    }
  });
});
