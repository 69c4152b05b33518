import { open } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';
import { loadOnce } from '../load-once.ts';

/**
 * sharp (libvips, a native library) is loaded with the first image, not at start-up: `/readyz` need
 * not wait for it (ADR 047).
 */
const sharp = loadOnce(() => import('sharp').then((m) => m.default));

/** The images of the contract: they get width, height and a thumbnail, and are served inline. */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
/** Served inline; everything else is a download under its name. */
export const isInline = (contentType: string) => IMAGE_TYPES.has(contentType) || contentType === 'application/pdf';

export interface Sniffed {
  contentType: string;
  /** Set for the images only: their size after EXIF orientation. */
  image?: { width: number; height: number };
}

const THUMBNAIL = { width: 800, height: 600 };

/**
 * What the bytes are, never what the name or the client says (API.md, Attachments; ADR 041). `utf8` says
 * whether the whole file decoded as UTF-8, which the upload learnt while streaming it.
 */
export async function sniff(file: string, utf8: boolean): Promise<Sniffed> {
  const found = await fileTypeFromFile(file);
  if (found && IMAGE_TYPES.has(found.mime)) {
    const image = await imageSize(file);
    // A signature sharp cannot decode is not an image we can show: bytes to download.
    return image ? { contentType: found.mime, image } : { contentType: 'application/octet-stream' };
  }
  // An XML declaration is all file-type sees of an SVG.
  if (found && !(found.mime === 'application/xml' && utf8)) return { contentType: found.mime };
  if (utf8) return { contentType: await textType(file) };
  return { contentType: 'application/octet-stream' };
}

async function imageSize(file: string): Promise<{ width: number; height: number } | undefined> {
  try {
    const meta = await (await sharp())(file).metadata();
    // autoOrient: the size as shown, with EXIF orientations 5–8 swapping width and height.
    const { width, height } = meta.autoOrient ?? meta;
    return width && height ? { width, height } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Text that a browser would render as markup is labelled as such, so it can never pass for an image
 * or plain text: SVG and HTML are downloads, sandboxed (API.md: never images, never inline).
 */
async function textType(file: string): Promise<string> {
  const handle = await open(file);
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const start = head
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart()
      .toLowerCase();
    if (/<svg[\s>]/.test(start)) return 'image/svg+xml';
    if (start.startsWith('<?xml')) return 'application/xml';
    if (/^<!doctype html|^<html[\s>]|<head[\s>]|<body[\s>]|<script[\s>]|<iframe[\s>]/.test(start)) return 'text/html';
    return 'text/plain';
  } finally {
    await handle.close();
  }
}

/** A WebP that fits 800×600, shown the right way up; never larger than the original (ADR 042). */
export async function thumbnail(input: string | Buffer): Promise<Buffer> {
  return (await sharp())(input, { animated: false })
    .autoOrient()
    .resize({ ...THUMBNAIL, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer();
}
