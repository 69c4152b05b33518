import { readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { Client, Reply } from './test-app.ts';

/** Uploads `bytes` as the part `file`, the way a browser's FormData does. */
export async function upload(
  client: Client,
  name: string,
  bytes: Uint8Array | string,
  type = 'application/octet-stream',
  headers: Record<string, string> = {},
): Promise<Reply> {
  const form = new FormData();
  form.append('file', new File([bytes as string | Uint8Array<ArrayBuffer>], name, { type }));
  const res = await fetch(`${client.baseUrl}/api/attachments`, {
    method: 'POST',
    body: form,
    headers: { cookie: client.cookie, ...headers },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** GET with the client's cookie, answering the raw bytes. */
export async function download(client: Client | undefined, baseUrl: string, url: string) {
  const res = await fetch(baseUrl + url, { headers: client?.cookie ? { cookie: client.cookie } : {} });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Every file under `dir`, recursively (missing folders count as empty). */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** Real images, made for the test by sharp. */
export const images = {
  png: (width = 30, height = 20) =>
    sharp({ create: { width, height, channels: 3, background: '#3366cc' } })
      .png()
      .toBuffer(),
  /** Stored 40×20, to be shown turned a quarter (EXIF orientation 6): 20×40. */
  jpegOrientation6: () =>
    sharp({ create: { width: 40, height: 20, channels: 3, background: '#cc6633' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer(),
  gif: () =>
    sharp({ create: { width: 16, height: 12, channels: 4, background: '#00ff00ff' } })
      .gif()
      .toBuffer(),
  webp: () =>
    sharp({ create: { width: 2000, height: 1000, channels: 3, background: '#101010' } })
      .webp()
      .toBuffer(),
};

/** A tiny, valid one-page PDF. */
export const pdf = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
