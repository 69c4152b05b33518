import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { type ServerHandle, startServer } from './support/server.ts';
import { createConversation, signedInUser } from './support/users.ts';

/** A 48×32 red PNG. */
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAADAAAAAgCAIAAADbtmxLAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAR0lEQVRYhe2WAQkAMAzDJi3+VUTKZOycwASU0qYb4ambcwUmiByiDFnLOMePgZEcogxZyziHkD1o5BBlyFpGHCIw0nT48bguNBRAeUzR50wAAAAASUVORK5CYII=',
  'base64',
);

/** The page a preview is made of, on 127.0.0.1: the server of this spec may reach it (LINK_PREVIEW_ALLOW). */
let site: Server;
let server: ServerHandle;
let siteUrl: string;

test.beforeAll(async () => {
  site = createServer((req, res) => {
    if (req.url === '/article') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        '<!doctype html><html><head><meta property="og:title" content="A fake article">' +
          '<meta property="og:description" content="Served by the spec"><meta property="og:image" content="/cover.png">' +
          '</head><body></body></html>',
      );
    } else if (req.url === '/cover.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(png);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const { port } = site.address() as AddressInfo;
  siteUrl = `http://127.0.0.1:${port}`;
  server = await startServer({ env: { LINK_PREVIEWS: 'on', LINK_PREVIEW_ALLOW: `127.0.0.1:${port}` } });
});

test.afterAll(async () => {
  await server?.stop();
  await new Promise<void>((resolve) => site.close(() => resolve()));
});

test('attach by picker and by paste, see the image on the other screen, download a file, see a preview arrive', async ({
  browser,
}) => {
  const alice = await signedInUser(browser, 'Alice', { baseURL: server.url });
  const bob = await signedInUser(browser, 'Bob', { baseURL: server.url });
  const id = await createConversation(alice, [bob], 'Files');
  await Promise.all([alice.page.goto(`/c/${id}`), bob.page.goto(`/c/${id}`)]);
  const composer = alice.page.getByRole('textbox', { name: 'Message' });
  const send = alice.page.getByRole('button', { name: 'Send' });
  const bobLog = bob.page.getByRole('log', { name: 'Messages' });

  // By the picker: an image, sent with no text at all.
  const chooser = alice.page.waitForEvent('filechooser');
  await alice.page.getByRole('button', { name: 'Attach files' }).click();
  await (await chooser).setFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png });
  await expect(alice.page.getByRole('button', { name: 'Remove photo.png' })).toBeVisible();
  await expect(send).toBeEnabled();
  await send.click();
  await expect(alice.page.getByRole('button', { name: 'Remove photo.png' })).toHaveCount(0);

  // Bob sees it inline at its size, the space reserved before it loads, and opens it at full size.
  const image = bobLog.getByRole('img', { name: 'photo.png' });
  await expect(image).toBeVisible();
  await expect(image).toHaveAttribute('width', '48');
  await expect(image).toHaveAttribute('height', '32');
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(48);
  await image.click();
  const dialog = bob.page.getByRole('dialog', { name: 'Image' });
  await expect(dialog.getByRole('img', { name: 'photo.png' })).toBeVisible();
  await bob.page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // By paste: two files land in the tray; one is removed before sending.
  await composer.focus();
  await composer.evaluate((textarea) => {
    const data = new DataTransfer();
    data.items.add(new File(['meeting notes\n'], 'notes.txt', { type: 'text/plain' }));
    data.items.add(new File(['not this one'], 'draft.txt', { type: 'text/plain' }));
    textarea.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await alice.page.getByRole('button', { name: 'Remove draft.txt' }).click();
  await expect(alice.page.getByRole('button', { name: 'Remove notes.txt' })).toBeVisible();
  await composer.fill('The notes');
  await expect(send).toBeEnabled();
  await composer.press('Enter');

  // Bob downloads it under its name, with its bytes.
  const link = bobLog.getByRole('link', { name: 'Download notes.txt' });
  await expect(link).toBeVisible();
  await expect(bobLog.getByRole('link', { name: 'Download draft.txt' })).toHaveCount(0);
  const download = bob.page.waitForEvent('download');
  await link.click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('notes.txt');
  const stream = await file.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  expect(Buffer.concat(chunks).toString()).toBe('meeting notes\n');

  // A link gets its preview after the send: a link named by the page's title, for both of them.
  await composer.fill(`Read this: ${siteUrl}/article`);
  await composer.press('Enter');
  const preview = bobLog.getByRole('link', { name: 'A fake article' });
  await expect(preview).toBeVisible();
  await expect(preview).toHaveAttribute('href', `${siteUrl}/article`);
  await expect(bobLog.getByText('Served by the spec')).toBeVisible();
  await expect(bobLog.getByRole('button', { name: 'Remove preview' })).toHaveCount(0);
  // The sender takes it off; it goes for Bob too.
  const aliceLog = alice.page.getByRole('log', { name: 'Messages' });
  await aliceLog.getByRole('button', { name: 'Remove preview' }).click();
  await expect(aliceLog.getByRole('link', { name: 'A fake article' })).toHaveCount(0);
  await expect(preview).toHaveCount(0);

  await Promise.all([alice, bob].map(({ context }) => context.close()));
});
