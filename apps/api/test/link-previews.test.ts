import { mkdtempSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Message } from '@parley/contracts';
import pino from 'pino';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { SWEEP_EVERY_MS } from '../src/attachments/sweeper.ts';
import { manualClock } from './support/clock.ts';
import { aliceAndBob } from './support/fixtures.ts';
import { apiForThisFile, collect, connected, signUp, startServer, type TestServer } from './support/test-app.ts';
import { download } from './support/uploads.ts';

/**
 * A fake site on 127.0.0.1 that records every request it gets. LINK_PREVIEW_ALLOW lists it for the
 * cases that must work; everything it redirects to elsewhere is what the guard must refuse.
 */
const requests: string[] = [];
const hungUp: string[] = [];
const ogImage = await sharp({ create: { width: 1200, height: 630, channels: 3, background: '#224488' } })
  .png()
  .toBuffer();
const page = (head: string, body = '') => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;
const MiB = 1024 * 1024;

function streamFiller(res: ServerResponse, route: string, start: string, bytes: number, end = '') {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.write(start);
  let sent = 0;
  const chunk = `<!-- ${'x'.repeat(64 * 1024 - 9)} -->`;
  res.on('close', () => {
    if (!res.writableFinished) hungUp.push(route);
  });
  const more = () => {
    while (sent < bytes) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', more);
    }
    res.end(end);
  };
  more();
}

const site = createServer((req, res) => {
  const route = req.url ?? '/';
  requests.push(route);
  const html = (body: string) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body);
  };
  const redirect = (to: string) => {
    res.writeHead(302, { location: to });
    res.end();
  };
  switch (route.split('?')[0]) {
    case '/og':
      return html(
        page(
          `<meta property="og:title" content="Open Graph title"><meta property="og:description" content="OG description">
           <meta property="og:site_name" content="Fake Site"><meta property="og:image" content="/og.png">
           <meta name="twitter:title" content="Twitter title"><title>Title tag</title>`,
        ),
      );
    case '/og.png':
      res.writeHead(200, { 'content-type': 'image/png' });
      return res.end(ogImage);
    case '/twitter':
      return html(
        page(
          `<meta name="twitter:card" content="summary"><meta name="twitter:title" content="Twitter title">
           <meta name="twitter:description" content="Twitter description"><title>Title tag</title>`,
        ),
      );
    case '/title':
      return html(page('<title> Just a title </title><meta name="description" content="A plain description">'));
    case '/untitled':
      return html(page('<meta name="description" content="no title here">', '<p>hello</p>'));
    case '/big-title-first':
      return streamFiller(res, route, '<!doctype html><html><head><title>Big page</title></head><body>', 8 * MiB);
    case '/big-title-late':
      return streamFiller(res, route, '<!doctype html><html><head>', 3 * MiB, '<title>Too late</title></head></html>');
    case '/slow':
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<!doctype html><html><head>');
      // Never finishes: the fetch must give up at its overall limit.
      return void setTimeout(() => res.end('<title>Slow</title></head></html>'), 15_000).unref();
    case '/r1':
      return redirect('/r2');
    case '/r2':
      return redirect(`http://127.0.0.1:${port()}/r3`);
    case '/r3':
      return redirect('/title');
    case '/loop':
      return redirect('/loop');
    case '/to-metadata':
      return redirect('http://169.254.169.254/latest/meta-data/');
    case '/to-mapped':
      return redirect('http://[::ffff:127.0.0.1]/og');
    case '/to-mapped-port':
      return redirect(`http://[::ffff:127.0.0.1]:${port()}/og`);
    case '/to-localhost':
      return redirect('http://localhost/og');
    case '/report.pdf':
      res.writeHead(200, { 'content-type': 'application/pdf' });
      return res.end('%PDF-1.4\n');
    case '/huge-image-page':
      return html(
        page('<meta property="og:title" content="Huge image"><meta property="og:image" content="/huge.png">'),
      );
    case '/huge.png':
      res.writeHead(200, { 'content-type': 'image/png' });
      return res.end(Buffer.alloc(6 * MiB, 1));
    case '/edited':
      return html(page('<title>After the edit</title>'));
    default:
      res.writeHead(404, { 'content-type': 'text/html' });
      return res.end('<title>Not found</title>');
  }
});
await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
const port = () => (site.address() as AddressInfo).port;
const siteUrl = (route: string) => `http://127.0.0.1:${port()}${route}`;
afterAll(() => new Promise<void>((resolve) => site.close(() => resolve())));

/** What the API logged, so each refusal can be told by its reason. */
const logs: { msg: string; reason?: string }[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });

const file = apiForThisFile(
  {
    LINK_PREVIEWS: 'on',
    LINK_PREVIEW_ALLOW: `127.0.0.1:${port()}`,
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'parley-previews-')),
  },
  { logger },
);

/** Alice sends `content`; answers the send and the message as it stands once every preview settled. */
async function sendAndSettle(server: TestServer, content: string) {
  const { alice, bob, url, id } = await aliceAndBob(server);
  const socket = await connected(server, bob.socket());
  const updates = collect(socket, 'message:updated');
  const started = performance.now();
  let arrivedAfterMs: number | undefined;
  socket.on('message:updated', () => {
    arrivedAfterMs ??= performance.now() - started;
  });
  const sent = await alice.post(`${url}/messages`, { content });
  const answeredAfterMs = performance.now() - started;
  expect(sent.status).toBe(201);
  await server.app.previews.idle();
  const [message] = (await bob.get(`${url}/messages`)).body.messages as Message[];
  socket.disconnect();
  return {
    alice,
    bob,
    url,
    id,
    sent: sent.body.message as Message,
    message: message!,
    updates,
    arrivedAfterMs,
    answeredAfterMs,
  };
}

const reasons = () => logs.filter((l) => l.reason).map((l) => l.reason);

describe('previews that work', () => {
  it('takes Open Graph first, stores the image on our origin, and tells the room with the next seq', async () => {
    const { sent, message, updates, bob, arrivedAfterMs, answeredAfterMs } = await sendAndSettle(
      file.server,
      `look at ${siteUrl('/og')}.`,
    );
    // The send never waits: it answers with no preview, the preview comes after.
    expect(sent.preview).toBeNull();
    expect(message.preview).toEqual({
      url: siteUrl('/og'),
      title: 'Open Graph title',
      description: 'OG description',
      siteName: 'Fake Site',
      imageUrl: expect.stringMatching(/^\/api\/link-previews\/\d+\/image$/),
    });
    expect(updates).toEqual([{ conversationId: sent.conversationId, seq: sent.seq + 1, message }]);
    console.info(
      `link preview: send answered after ${answeredAfterMs.toFixed(0)} ms, preview arrived after ${arrivedAfterMs?.toFixed(0)} ms`,
    );
    const image = await download(bob, file.server.url, message.preview!.imageUrl!);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/webp');
    expect(image.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(image.headers.get('cache-control')).toBe('private, max-age=3600');
    expect(await sharp(image.bytes).metadata()).toMatchObject({ width: 800, height: 420 });
    const dave = await signUp(file.server, 'Dave');
    expect((await download(dave, file.server.url, message.preview!.imageUrl!)).status).toBe(404);
    expect((await download(undefined, file.server.url, message.preview!.imageUrl!)).status).toBe(404);
  });

  it('falls back to Twitter cards, then to <title> and the meta description', async () => {
    const twitter = await sendAndSettle(file.server, siteUrl('/twitter'));
    expect(twitter.message.preview).toEqual({
      url: siteUrl('/twitter'),
      title: 'Twitter title',
      description: 'Twitter description',
      siteName: null,
      imageUrl: null,
    });
    const title = await sendAndSettle(file.server, `see (${siteUrl('/title')})`);
    expect(title.message.preview).toMatchObject({ title: 'Just a title', description: 'A plain description' });
  });

  it('reads only the first 1 MiB of a page of several MB', async () => {
    const first = await sendAndSettle(file.server, siteUrl('/big-title-first'));
    expect(first.message.preview).toMatchObject({ title: 'Big page' });
    // We hung up on the site before it had sent its 8 MB.
    expect(hungUp).toContain('/big-title-first');
    const late = await sendAndSettle(file.server, siteUrl('/big-title-late'));
    expect(late.message.preview).toBeNull();
    expect(late.updates).toEqual([]);
  });

  it('follows a redirect chain by hand and keeps the URL as the message wrote it', async () => {
    const { message } = await sendAndSettle(file.server, siteUrl('/r1'));
    expect(message.preview).toMatchObject({ url: siteUrl('/r1'), title: 'Just a title' });
  });

  it('caches a URL for an hour across conversations', async () => {
    await sendAndSettle(file.server, siteUrl('/title?cached'));
    const fetched = requests.filter((r) => r === '/title?cached').length;
    const again = await sendAndSettle(file.server, `again ${siteUrl('/title?cached')}`);
    expect(again.message.preview).toMatchObject({ title: 'Just a title' });
    expect(requests.filter((r) => r === '/title?cached').length).toBe(fetched);
  });

  it('keeps the preview but not an image over 5 MiB', async () => {
    const { message } = await sendAndSettle(file.server, siteUrl('/huge-image-page'));
    expect(message.preview).toMatchObject({ title: 'Huge image', imageUrl: null });
    expect(reasons()).toContain('too_large');
  });

  it('ignores URLs inside code', async () => {
    const { message, updates } = await sendAndSettle(file.server, `\`${siteUrl('/og?code')}\``);
    expect(message.preview).toBeNull();
    expect(updates).toEqual([]);
    expect(requests).not.toContain('/og?code');
  });
});

describe('previews refused: nothing stored, nothing emitted', () => {
  const refused = async (route: string, reason: string) => {
    const before = logs.length;
    const { message, updates } = await sendAndSettle(file.server, siteUrl(route));
    expect(message.preview).toBeNull();
    expect(updates).toEqual([]);
    expect(logs.slice(before).flatMap((l) => (l.reason ? [l.reason] : []))).toEqual([reason]);
  };

  it('a page without a title', () => refused('/untitled', 'no_title'));
  it('a URL that is not HTML', () => refused('/report.pdf', 'not_html'));
  it('more than 5 redirects', async () => {
    const before = requests.filter((r) => r === '/loop').length;
    await refused('/loop', 'too_many_redirects');
    expect(requests.filter((r) => r === '/loop').length - before).toBe(6);
  });

  it('a redirect to the metadata service, 169.254.169.254', () => refused('/to-metadata', 'blocked_address'));
  it('a redirect to [::ffff:127.0.0.1] (loopback written as IPv6)', async () => {
    const before = requests.filter((r) => r === '/og').length;
    await refused('/to-mapped', 'blocked_address');
    await refused('/to-mapped-port', 'port');
    expect(requests.filter((r) => r === '/og').length).toBe(before);
  });
  it('a redirect to a name that resolves to loopback', () => refused('/to-localhost', 'blocked_address'));

  it('a page slower than the 10 s limit', async () => {
    const started = performance.now();
    await refused('/slow', 'timeout');
    const tookMs = performance.now() - started;
    expect(tookMs).toBeGreaterThan(9_500);
    expect(tookMs).toBeLessThan(13_000);
  }, 20_000);
});

describe('without LINK_PREVIEW_ALLOW', () => {
  it('the fake site receives no request at all', async () => {
    const strict = await file.replica({ LINK_PREVIEW_ALLOW: undefined });
    const before = requests.length;
    const logged = logs.length;
    // Fresh URLs: one already in the cache would be answered without any fetch.
    for (const route of ['/og?strict', '/title?strict', '/r1?strict']) {
      const { message } = await sendAndSettle(strict, siteUrl(route));
      expect(message.preview).toBeNull();
    }
    const { message } = await sendAndSettle(strict, `http://localhost:${port()}/og?strict`);
    expect(message.preview).toBeNull();
    expect(requests.length).toBe(before);
    // Each refused by the port rule before any connection: the site's port is neither 80 nor 443.
    expect(logs.slice(logged).flatMap((l) => (l.reason ? [l.reason] : []))).toEqual(['port', 'port', 'port', 'port']);
  });

  it('LINK_PREVIEWS=off fetches nothing', async () => {
    const off = await file.replica({ LINK_PREVIEWS: 'off' });
    const before = requests.length;
    const { message } = await sendAndSettle(off, siteUrl('/og?off'));
    expect(message.preview).toBeNull();
    expect(requests.length).toBe(before);
  });
});

describe('editing and removing', () => {
  it('an edit to another URL drops the old preview and fetches the new one', async () => {
    const { alice, url, message } = await sendAndSettle(file.server, siteUrl('/title?edit'));
    expect(message.preview).not.toBeNull();
    const edited = await alice.patch(`${url}/messages/${message.id}`, { content: `now ${siteUrl('/edited')}` });
    expect(edited.body.message.preview).toBeNull();
    await file.server.app.previews.idle();
    const [after] = (await alice.get(`${url}/messages`)).body.messages;
    expect(after.preview).toMatchObject({ url: siteUrl('/edited'), title: 'After the edit' });
  });

  it('the sender removes a preview (403 for others, 409 once closed), as a sequenced change', async () => {
    const { alice, bob, url, message } = await sendAndSettle(file.server, siteUrl('/title?remove'));
    expect(message.preview).not.toBeNull();
    const path = `${url}/messages/${message.id}/preview`;
    const byBob = await bob.request('DELETE', path);
    expect({ status: byBob.status, code: byBob.body.error.code }).toEqual({ status: 403, code: 'forbidden' });
    const socket = await connected(file.server, bob.socket());
    const updates = collect(socket, 'message:updated');
    const removed = await alice.request('DELETE', path);
    expect(removed.status).toBe(200);
    expect(removed.body.message).toMatchObject({ id: message.id, preview: null, seq: message.seq });
    const seq = (await alice.get(url)).body.conversation.seq;
    // A barrier: Alice's next change reaches Bob after the removal's event.
    const barrier = new Promise<void>((resolve) => socket.once('message:new', () => resolve()));
    await alice.post(`${url}/messages`, { content: 'barrier' });
    await barrier;
    expect(updates).toEqual([{ conversationId: message.conversationId, seq, message: removed.body.message }]);
    socket.disconnect();
    expect((await alice.request('DELETE', path)).status).toBe(200);
    await alice.post(`${url}/close`);
    const closed = await alice.request('DELETE', path);
    expect({ status: closed.status, code: closed.body.error.code }).toEqual({
      status: 409,
      code: 'conversation_closed',
    });
  });
});

describe('the sweep', () => {
  it('deletes a preview out of the cache’s hour that no message shows any more, image bytes included', async () => {
    const clock = manualClock();
    const server = await startServer(
      file.db.url,
      {
        LINK_PREVIEWS: 'on',
        LINK_PREVIEW_ALLOW: `127.0.0.1:${port()}`,
        DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'parley-sweep-')),
      },
      { clock, sweepClock: clock, logger },
    );
    try {
      const { alice, url, message } = await sendAndSettle(server, siteUrl('/og?sweep'));
      const previewId = Number(/\/(\d+)\/image$/.exec(message.preview!.imageUrl!)![1]);
      const { rows } = await server.database.pool.query('select image_key from link_previews where id = $1', [
        previewId,
      ]);
      const imageKey: string = rows[0].image_key;
      expect(await server.app.storage.exists(imageKey)).toBe(true);
      const pass = async (ms: number) => {
        for (let left = ms; left > 0; left -= SWEEP_EVERY_MS) {
          clock.advance(Math.min(left, SWEEP_EVERY_MS));
          await server.app.sweeper.settled();
        }
      };
      // Shown by a message: kept however old.
      await pass(70 * 60 * 1000);
      expect(await server.app.storage.exists(imageKey)).toBe(true);
      await alice.request('DELETE', `${url}/messages/${message.id}/preview`);
      await pass(SWEEP_EVERY_MS);
      expect(
        (await server.database.pool.query('select 1 from link_previews where id = $1', [previewId])).rowCount,
      ).toBe(0);
      expect(await server.app.storage.exists(imageKey)).toBe(false);
    } finally {
      await server.stop();
    }
  });
});
